import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../src/engine/types.js';
import { parseBaseline } from '../../src/scan/baseline-parse.js';
import { applyBaseline, BASELINE_VERSION, createBaseline } from '../../src/scan/baseline.js';
import { SHELL_CALL, VULNERABLE, Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

const finding = (fingerprint: string, line: number): Finding =>
  ({ fingerprint, ruleId: 'eval-call', path: 'a.py', line }) as Finding;

describe('baseline matching', () => {
  it('hides one finding per recorded occurrence, so a second copy of a known finding is new', () => {
    const baseline = createBaseline([finding('x', 1), finding('y', 2)], 'warden test');
    const { findings, hidden } = applyBaseline([finding('x', 1), finding('x', 9), finding('y', 2)], baseline);
    expect(hidden).toBe(2);
    expect(findings.map((f) => f.line)).toEqual([9]);
  });

  it('hides as many copies as were recorded', () => {
    const baseline = createBaseline([finding('x', 1), finding('x', 5)], 'warden test');
    expect(applyBaseline([finding('x', 1), finding('x', 5), finding('x', 7)], baseline).hidden).toBe(2);
  });

  it('neither records nor consumes suppressed findings', () => {
    const suppressed = {
      ...finding('x', 1),
      suppressed: { kind: 'warden' as const, comment: '# warden: ignore', line: 1 },
    };
    expect(createBaseline([suppressed], 'warden test').findings).toEqual([]);
    const baseline = createBaseline([finding('x', 3)], 'warden test');
    const { findings, hidden } = applyBaseline([suppressed, finding('x', 3)], baseline);
    expect(findings).toEqual([suppressed]);
    expect(hidden).toBe(1);
  });

  it('refuses another format version, malformed JSON and a wrong shape with the reason', () => {
    expect(() => parseBaseline('{"version": 99, "findings": []}', 'b.json')).toThrow(
      `b.json: baseline format version 99 is not supported (this Warden reads version ${BASELINE_VERSION})`,
    );
    expect(() => parseBaseline('{', 'b.json')).toThrow('b.json: not a Warden baseline (invalid JSON');
    expect(() =>
      parseBaseline(`{"version": ${BASELINE_VERSION}, "generator": "x", "findings": [{"line": 1}]}`, 'b.json'),
    ).toThrow('b.json: not a Warden baseline (findings.0.fingerprint:');
  });
});

describe('warden scan --write-baseline / --baseline', () => {
  it("records today's findings, then reports only new ones, including a second copy of a known one", async () => {
    workspace.write('jobs.py', VULNERABLE);
    const written = await workspace.warden('scan', '--write-baseline', '.warden-baseline.json');
    expect(written.code).toBe(0);
    expect(written.stderr).toBe('warden: wrote 1 finding(s) to the baseline .warden-baseline.json\n');
    const file = JSON.parse(readFileSync(join(workspace.root, '.warden-baseline.json'), 'utf8'));
    expect(file).toMatchObject({
      version: BASELINE_VERSION,
      findings: [{ ruleId: 'subprocess-shell-true', path: 'jobs.py', line: 4, fingerprint: expect.any(String) }],
    });

    const quiet = await workspace.warden('scan', '--baseline', '.warden-baseline.json');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^No findings in 1 file, 1 in the baseline \(/);

    // The same call again further down the file, and a new file with another copy of it.
    workspace.write('jobs.py', `${VULNERABLE}\ndef again(name):\n    ${SHELL_CALL}\n`).write('more.py', VULNERABLE);
    const { code, stdout } = await workspace.warden('scan', '--baseline', '.warden-baseline.json', '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { findings: { path: string; line: number }[]; stats: { baselined: number } };
    expect(report.findings.map((f) => `${f.path}:${f.line}`)).toEqual(['jobs.py:7', 'more.py:4']);
    expect(report.stats.baselined).toBe(1);
  });

  it('stops with exit 2 on a missing or broken baseline, before scanning', async () => {
    workspace.write('jobs.py', VULNERABLE).write('broken.json', '[1, 2]');
    const missing = await workspace.warden('scan', '--baseline', 'nope.json');
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe('warden: --baseline nope.json: cannot read (ENOENT)\n');
    const broken = await workspace.warden('scan', '--baseline', 'broken.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^warden: broken\.json: not a Warden baseline/);
  });
});

describe('the config key `baseline:`', () => {
  it('is read from the repository root when --baseline is not given, as the App reads it', async () => {
    workspace.write('app/jobs.py', VULNERABLE).initRepository().commitAll('first');
    expect((await workspace.warden('scan', '--write-baseline', '.warden-baseline.json')).code).toBe(0);
    workspace.write('.github/warden.yml', 'baseline: .warden-baseline.json\n');

    const quiet = await workspace.warden('scan');
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
    expect(quiet.stdout).toMatch(/^No findings in 1 file, 1 in the baseline \(/);

    // A second copy of the known finding is still new.
    workspace.write('app/more.py', VULNERABLE);
    const { code, stdout } = await workspace.warden('scan', '--format', 'json');
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { findings: { path: string }[] }).findings.map((f) => f.path)).toEqual([
      'app/more.py',
    ]);
  });

  it('gives way to --baseline FILE, and a missing file is a warning, not a stop', async () => {
    workspace.write('jobs.py', VULNERABLE).write('.github/warden.yml', 'baseline: accepted.json\n');
    const missing = await workspace.warden('scan');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'warden: warning: config `baseline: accepted.json`: accepted.json: cannot read (ENOENT); no finding is hidden\n',
    );

    expect((await workspace.warden('scan', '--write-baseline', 'other.json')).code).toBe(0);
    const flagged = await workspace.warden('scan', '--baseline', 'other.json');
    expect(flagged).toMatchObject({ code: 0, stderr: '' });
  });
});
