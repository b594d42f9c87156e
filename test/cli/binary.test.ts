import { afterAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { VULNERABLE, Workspace } from './workspace.js';

const execFileAsync = promisify(execFile);
const BINARY = resolve('dist/cli/main.js');
const workspace = new Workspace();
afterAll(() => workspace.dispose());

/** One end-to-end run of the compiled `warden` binary; everything else calls `run` in-process. */
it('runs as a node executable and exits 1 on findings', async () => {
  expect(existsSync(BINARY)).toBe(true); // built by `npm ci` (the prepare script) or `npm run build`
  expect(readFileSync(BINARY, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  workspace.write('jobs.py', VULNERABLE);
  const failure = await execFileAsync(process.execPath, [BINARY, 'scan', workspace.root, '--format', 'json']).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toBe('');
  const report = JSON.parse(failure!.stdout) as { findings: { ruleId: string; line: number }[]; stats: { files: number } };
  expect(report.stats.files).toBe(1);
  expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'subprocess-shell-true', line: 4 }));
});
