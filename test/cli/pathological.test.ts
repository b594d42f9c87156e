import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Workspace } from './workspace.js';

/**
 * The hostile files of issue 14. Each must end with its real findings reported, or be reported
 * as not fully scanned with a non-zero exit: never a clean pass. The budget is 1.5 s a file.
 */
const HEADER = 'import os\nfrom flask import request\n';
const TAIL = 'os.system(input())\nos.system(request.args["cmd"])\n';

function chain(): string {
  const lines = ['v0 = "ls"'];
  for (let i = 1; i < 2000; i++) lines.push(`v${i} = v${i - 1}`);
  return `${lines.join('\n')}\nos.system(v1999)\n`;
}

const CASES: { name: string; body: string }[] = [
  { name: 'a chain of 2,000 assignments', body: chain() },
  { name: 'f(f(…)) 800 deep', body: `x = ${'f('.repeat(800)}1${')'.repeat(800)}\n` },
  { name: 'f(f(…)) 3,000 deep', body: `x = ${'f('.repeat(3000)}1${')'.repeat(3000)}\n` },
  { name: 'a 50,000-call .strip() chain', body: `x = s${'.strip()'.repeat(50_000)}\n` },
  { name: 'a 200,000-term a + a + …', body: `x = ${Array(200_000).fill('a').join(' + ')}\n` },
  {
    name: 'a 1 MB os.system(input() + …)',
    body: `os.system(input()${' + input()'.repeat((1_000_000 - 100) / 11)})\n`,
  },
];

let workspace: Workspace;
beforeAll(() => {
  workspace = new Workspace();
  workspace.write('warden.yml', 'time_budget:\n  file_seconds: 1.5\n');
  CASES.forEach(({ body }, index) => workspace.write(`case${index}.py`, `${HEADER}${body}${TAIL}`));
});
afterAll(() => workspace.dispose());

interface Report {
  findings: { ruleId: string; line: number }[];
  stats: { incomplete: { path: string; reason: string }[] };
}

describe('hostile files', () => {
  it.each(CASES.map((entry, index) => [entry.name, index, entry.body] as const))(
    '%s: real findings, or reported incomplete with a non-zero exit',
    async (_name, index, body) => {
      const { code, stdout, stderr } = await workspace.warden(
        'scan',
        `case${index}.py`,
        '--config',
        'warden.yml',
        '--format',
        'json',
      );
      const report = JSON.parse(stdout) as Report;
      expect(code).not.toBe(0);
      if (report.stats.incomplete.length > 0) {
        expect(report.stats.incomplete.map((entry) => entry.path)).toEqual([`case${index}.py`]);
        // Only the budget may cut a file short: an engine or rule failure here is a depth bug.
        for (const { reason } of report.stats.incomplete) expect(reason).toMatch(/time budget|did not finish/);
        if (report.findings.length === 0) {
          expect(code).toBe(2);
          expect(stderr).toContain('1 file was not fully scanned, so the result is incomplete');
        }
        return;
      }
      // Complete: every real finding is there, below the hostile part as well as in it.
      const bodyLines = body.split('\n').length - 1;
      const tailLines = [3 + bodyLines, 4 + bodyLines];
      const lines = report.findings.filter((f) => f.ruleId === 'os-command-injection').map((f) => f.line);
      expect(lines).toEqual(expect.arrayContaining(tailLines));
      if (index === 0) expect(lines).toContain(2 + bodyLines);
      expect(code).toBe(1);
    },
  );
});
