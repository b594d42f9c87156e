import { describe, expect, it } from '@jest/globals';
import { scanSource } from '../../src/engine/index.js';
import { MAX_FINGERPRINT_TOKENS } from '../../src/engine/fingerprint.js';
import subprocessShellTrue from '../../src/rules/injection/subprocess-shell-true.js';

const scan = (code: string, path = 'app/tasks.py') => scanSource(path, code, { rules: [subprocessShellTrue] }).findings;

const CALL = 'subprocess.run(f"tar czf {name}.tgz", shell=True)';
const CODE = `import subprocess\n\ndef archive(name):\n    ${CALL}\n`;

describe('fingerprints', () => {
  it('survive edits above the finding', () => {
    const [before] = scan(CODE);
    const [after] = scan(`"""Archiving helpers."""\nimport logging\n\nlog = logging.getLogger(__name__)\n${CODE}`);
    expect(after.line).toBe(before.line + 4);
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('survive re-indenting, re-wrapping one argument per line and a change of quotes', () => {
    const [before] = scan(CODE);
    const [after] = scan(
      `import subprocess\n\ndef archive(name):\n  subprocess.run(\n      f'tar czf {name}.tgz',  # the archive\n      shell=True,\n  )\n`,
    );
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('survive moving the enclosing function within the file', () => {
    const other = 'def other():\n    return 1\n';
    const [before] = scan(`${CODE}\n\n${other}`);
    const [after] = scan(`import subprocess\n\n${other}\n\ndef archive(name):\n    ${CALL}\n`);
    expect(after.line).not.toBe(before.line);
    expect(after.fingerprint).toBe(before.fingerprint);
  });

  it('differ when the same code moves to another function or class', () => {
    const [before] = scan(CODE);
    const [inClass] = scan(`import subprocess\n\nclass Jobs:\n    def archive(self, name):\n        ${CALL}\n`);
    const [renamed] = scan(CODE.replace('def archive', 'def backup'));
    expect(new Set([before.fingerprint, inClass.fingerprint, renamed.fingerprint]).size).toBe(3);
  });

  it('keep the difference between string contents', () => {
    const [double] = scan(CODE);
    const [otherText] = scan(CODE.replace('tar czf', 'tar cjf'));
    expect(otherText.fingerprint).not.toBe(double.fingerprint);
  });

  it('differ by occurrence index for identical code', () => {
    const findings = scan(`import subprocess\n\ndef archive(name):\n    ${CALL}\n    ${CALL}\n`);
    expect(findings).toHaveLength(2);
    expect(findings[0].fingerprint).not.toBe(findings[1].fingerprint);
  });

  it('differ between files and between different code', () => {
    const [here] = scan(CODE);
    const [elsewhere] = scan(CODE, 'app/other.py');
    const [changed] = scan(CODE.replace('tar czf', 'zip -r'));
    expect(new Set([here.fingerprint, elsewhere.fingerprint, changed.fingerprint]).size).toBe(3);
  });

  it('are made for flagged code nested deeper than the call stack allows recursion', () => {
    // 100,000 nested calls in the flagged statement: a recursive token walk overflows the stack.
    const deep = `${'f('.repeat(100_000)}name${')'.repeat(100_000)}`;
    const findings = scan(`import subprocess\n\ndef archive(name):\n    subprocess.run(${deep}, shell=True)\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('read a bounded prefix of a huge flagged call, and still tell two of them apart', () => {
    const huge = (last: string) => `subprocess.run(${'name + '.repeat(MAX_FINGERPRINT_TOKENS)}${last}, shell=True)`;
    const [first, second] = scan(`import subprocess\n\ndef archive(name):\n    ${huge('a')}\n    ${huge('b')}\n`);
    expect(first.fingerprint).not.toBe(second.fingerprint);
    // Past the prefix, an edit keeps the fingerprint; within it, one changes it.
    const [editedTail] = scan(`import subprocess\n\ndef archive(name):\n    ${huge('c')}\n`);
    expect(editedTail.fingerprint).toBe(first.fingerprint);
    const [editedHead] = scan(`import subprocess\n\ndef archive(name):\n    ${huge('a').replace('name', 'other')}\n`);
    expect(editedHead.fingerprint).not.toBe(first.fingerprint);
  });
});
