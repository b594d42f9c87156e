import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HOSTILE_FILES, hostileSource } from '../../tools/fuzz/hostile-files.js';
import { Workspace } from './workspace.js';

/**
 * The hostile files of issue 14. Each must end with its real findings reported, or be reported
 * as not fully scanned with a non-zero exit: never a clean pass. The budget is 1.5 s a file.
 */
let workspace: Workspace;
beforeAll(() => {
  workspace = new Workspace();
  workspace.write('warden.yml', 'time_budget:\n  file_seconds: 1.5\n');
  HOSTILE_FILES.forEach((file, index) => workspace.write(`case${index}.py`, hostileSource(file)));
});
afterAll(() => workspace.dispose());

interface Report {
  findings: { ruleId: string; line: number }[];
  stats: { incomplete: { path: string; reason: string }[] };
}

describe('hostile files', () => {
  it.each(HOSTILE_FILES.map((entry, index) => [entry.name, index, entry.body] as const))(
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
