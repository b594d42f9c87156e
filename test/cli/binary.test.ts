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

/**
 * One end-to-end run of the compiled `warden` binary; everything else calls `run` in-process.
 * Forty files are enough for the compiled CLI to scan on worker threads.
 */
it('runs as a node executable, scans on worker threads and exits 1 on findings', async () => {
  expect(existsSync(BINARY)).toBe(true); // built by `npm ci` (the prepare script) or `npm run build`
  expect(readFileSync(BINARY, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const names = Array.from({ length: 40 }, (_, i) => `pkg/jobs_${String(i).padStart(2, '0')}.py`);
  for (const name of names) workspace.write(name, VULNERABLE);
  const failure = await execFileAsync(process.execPath, [BINARY, 'scan', workspace.root, '--format', 'json']).then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toBe('');
  const report = JSON.parse(failure!.stdout) as {
    findings: { ruleId: string; path: string; line: number }[];
    stats: { files: number };
  };
  expect(report.stats.files).toBe(40);
  const shellFindings = report.findings.filter((finding) => finding.ruleId === 'subprocess-shell-true');
  expect(shellFindings.map((finding) => `${finding.path}:${finding.line}`)).toEqual(
    names.map((name) => `${workspace.root}/${name}:4`),
  );
});
