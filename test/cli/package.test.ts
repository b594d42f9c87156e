import { afterAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { VULNERABLE } from './workspace.js';

const execFileAsync = promisify(execFile);
const project = mkdtempSync(join(tmpdir(), 'warden-package-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileAsync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, maxBuffer: 16 * 1024 * 1024 });

const npxWarden = (...args: string[]) =>
  execFileAsync('npx', ['--no', '--', 'warden', ...args], { cwd: project }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

/**
 * The package as npm would publish it, installed into a project of its own: `npx warden scan`
 * must work with only what `files` ships and what `dependencies` declares.
 */
it('packs only the product and runs as `npx warden scan` from the installed tarball', async () => {
  expect(existsSync('dist/cli/main.js')).toBe(true); // built by `npm ci` (the prepare script) or `npm run build`
  // The existing build is packed as is; the prepare script would rebuild it first.
  const { stdout } = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', project], resolve('.'));
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  const paths = packed.files.map((file) => file.path);
  expect(paths).toEqual(
    expect.arrayContaining(['dist/cli/main.js', 'dist/app/index.js', 'app.yml', 'LICENSE', 'README.md']),
  );
  expect(paths.filter((path) => !/^dist\/.*\.js$/.test(path)).sort()).toEqual([
    '.env.example',
    'LICENSE',
    'README.md',
    'app.yml',
    'package.json',
  ]);

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // From the local cache where it can; third-party install scripts are skipped (see below).
  await npm(['install', '--prefer-offline', '--ignore-scripts', join(project, packed.filename)], project);
  // tree-sitter's prebuilt binary needs a newer glibc than some machines have, and its install script
  // then compiles it for minutes: the checkout's own build of the same version stands in for it.
  const installed = join(project, 'node_modules/tree-sitter');
  const version = (dir: string) =>
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  expect(version(installed)).toBe(version('node_modules/tree-sitter'));
  if (existsSync('node_modules/tree-sitter/build'))
    cpSync('node_modules/tree-sitter/build', join(installed, 'build'), { recursive: true });

  writeFileSync(join(project, 'jobs.py'), VULNERABLE);
  writeFileSync(join(project, 'clean.py'), 'def greet(name):\n    return f"Hello, {name}"\n');
  const vulnerable = await npxWarden('scan', 'jobs.py');
  expect(vulnerable.stdout).toContain('jobs.py:4:5: high subprocess-shell-true');
  expect(vulnerable.code).toBe(1);
  const clean = await npxWarden('scan', 'clean.py');
  expect(clean.stdout).toMatch(/^No findings in 1 file/);
  expect(clean.code).toBe(0);
}, 300_000);
