import { afterAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { VULNERABLE, Workspace } from './workspace.js';

const execFileAsync = promisify(execFile);
const BINARY = resolve('dist/cli/main.js');
const workspace = new Workspace();
afterAll(() => workspace.dispose());

/** Lines of comment after the vulnerable code, so that forty files add up to more than the half megabyte from which threads pay. */
const PADDING = '# padding to make the file worth a thread\n'.repeat(400);

/**
 * One end-to-end run of the compiled `warden` binary; everything else calls `run` in-process.
 * Forty files of 17 KB are enough for the compiled CLI to scan on worker threads.
 */
it('runs as a node executable, scans on worker threads and exits 1 on findings', async () => {
  expect(existsSync(BINARY)).toBe(true); // built by `npm ci` (the prepare script) or `npm run build`
  expect(readFileSync(BINARY, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  const names = Array.from({ length: 40 }, (_, i) => `pkg/jobs_${String(i).padStart(2, '0')}.py`);
  for (const name of names) workspace.write(name, VULNERABLE + PADDING);
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

/**
 * The CLI is bundled (esbuild, `npm run build:cli`): the engine pool finds its worker script
 * next to the module that holds it, so every bundle file that starts workers must have
 * `scan-worker.js` beside it. Without it the pool would fall back to one thread, silently.
 */
it('ships the worker script beside every part of the CLI bundle that starts workers', () => {
  const dir = dirname(BINARY);
  const starters = readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .filter((name) => readFileSync(join(dir, name), 'utf8').includes('new URL("./scan-worker.js", import.meta.url)'));
  expect(starters.length).toBeGreaterThan(0);
  expect(existsSync(join(dir, 'scan-worker.js'))).toBe(true);
  expect(readFileSync(join(dir, 'scan-worker.js'), 'utf8')).toContain('parentPort');
});

it('loads as a handful of modules rather than one per source file', () => {
  // Node's ESM loader pays per module: the files `main.js` statically imports, transitively.
  const loaded = new Set<string>();
  const visit = (file: string) => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(
      /^(?:import|export)[^;]*?from ["'](\.{1,2}\/[^"']+)["'];$/gms,
    ))
      visit(resolve(dirname(file), specifier));
  };
  visit(BINARY);
  expect(loaded.size).toBeGreaterThan(1);
  expect(loaded.size).toBeLessThan(10);
});
