import { describe, expect, it } from '@jest/globals';
import { scanSource } from '../../src/engine/index.js';
import subprocessShellTrue from '../../src/rules/injection/subprocess-shell-true.js';

/** subprocess-shell-true covers Bandit B602 and Ruff S602. */
const scan = (body: string) =>
  scanSource('jobs.py', `import subprocess\n${body}\n`, { rules: [subprocessShellTrue] }).findings;

const suppression = (body: string) => {
  const findings = scan(body);
  expect(findings).toHaveLength(1);
  return findings[0].suppressed;
};

describe('inline suppressions', () => {
  it.each([
    ['# warden: ignore', 'warden'],
    ['# warden: ignore[subprocess-shell-true]', 'warden'],
    ['# warden: ignore[other-rule, subprocess-shell-true]', 'warden'],
    ['# warden:ignore[B602]', 'warden'],
    ['# nosec', 'nosec'],
    ['# nosec B602, B607', 'nosec'],
    ['# nosec: B602', 'nosec'],
    ['# noqa: S602', 'noqa'],
    ['# noqa: E501, S602', 'noqa'],
    ['# type: ignore  # nosec', 'nosec'],
  ])('`%s` suppresses the finding on its line', (comment, kind) => {
    expect(suppression(`subprocess.run(cmd, shell=True)  ${comment}`)).toMatchObject({ kind, line: 2 });
  });

  it.each([
    ['# warden: ignore[sql-injection]'],
    ['# nosec B101'],
    ['# noqa: S608'],
    ['# noqa'],
    ['# noqa: E501'],
    ['# this is not nosecure'],
  ])('`%s` does not suppress it', (comment) => {
    expect(suppression(`subprocess.run(cmd, shell=True)  ${comment}`)).toBeUndefined();
  });

  it('records the comment that suppressed the finding', () => {
    expect(suppression('subprocess.run(cmd, shell=True)  # nosec B602 -- reviewed')).toEqual({
      kind: 'nosec',
      comment: '# nosec B602',
      line: 2,
    });
  });

  it('honours a comment on any line of a multi-line statement', () => {
    const call = ['subprocess.run(', '    cmd,', '    shell=True,', ')'];
    for (let line = 0; line < call.length; line++) {
      const lines = call.map((text, index) => (index === line ? `${text}  # nosec` : text));
      expect(suppression(lines.join('\n'))).toMatchObject({ kind: 'nosec', line: line + 2 });
    }
  });

  it('honours a comment on the line of an assignment that wraps the call', () => {
    expect(suppression('output = subprocess.check_output(  # warden: ignore\n    cmd, shell=True)')).toMatchObject({
      kind: 'warden',
      line: 2,
    });
  });

  it('ignores comments on the lines around the statement', () => {
    expect(suppression('# nosec\nsubprocess.run(cmd, shell=True)\n# nosec')).toBeUndefined();
  });

  it('ties a comment in a compound statement to its header only', () => {
    expect(suppression('if subprocess.call(cmd, shell=True):  # nosec\n    pass')).toMatchObject({
      kind: 'nosec',
      line: 2,
    });
    expect(suppression('if subprocess.call(cmd, shell=True):\n    pass  # nosec')).toBeUndefined();
  });

  it('keeps suppressed findings, so reports can show them as suppressed', () => {
    const findings = scan('subprocess.run(cmd, shell=True)  # nosec\nsubprocess.run(cmd, shell=True)');
    expect(findings.map((finding) => [finding.line, finding.suppressed?.kind])).toEqual([
      [2, 'nosec'],
      [3, undefined],
    ]);
  });
});

describe('# warden: ignore-next-line', () => {
  it('suppresses the statement on the next line, and records the comment line', () => {
    expect(suppression('# warden: ignore-next-line[subprocess-shell-true]\nsubprocess.run(cmd, shell=True)')).toEqual({
      kind: 'warden',
      comment: '# warden: ignore-next-line[subprocess-shell-true]',
      line: 2,
    });
    expect(suppression('# warden: ignore-next-line\nsubprocess.run(cmd, shell=True)')).toMatchObject({ line: 2 });
    expect(suppression('# warden:ignore-next-line[B602]\nsubprocess.run(cmd, shell=True)')).toMatchObject({ line: 2 });
  });

  it('covers every line of a multi-line statement that starts on the next line', () => {
    const body =
      '# warden: ignore-next-line[subprocess-shell-true]\noutput = subprocess.run(\n    cmd,\n    shell=True,\n)';
    expect(suppression(body)).toMatchObject({ kind: 'warden', line: 2 });
  });

  it('does not reach past the next line, nor suppress its own line or other rules', () => {
    expect(suppression('# warden: ignore-next-line\n\nsubprocess.run(cmd, shell=True)')).toBeUndefined();
    expect(suppression('subprocess.run(cmd, shell=True)  # warden: ignore-next-line')).toBeUndefined();
    expect(suppression('# warden: ignore-next-line[sql-injection]\nsubprocess.run(cmd, shell=True)')).toBeUndefined();
  });

  it('does not suppress the body of a block whose header it precedes', () => {
    expect(suppression('# warden: ignore-next-line\nif ready:\n    subprocess.run(cmd, shell=True)')).toBeUndefined();
  });
});
