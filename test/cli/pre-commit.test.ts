import { afterAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { VULNERABLE, Workspace } from './workspace.js';

const execFileAsync = promisify(execFile);
const workspace = new Workspace();
const home = mkdtempSync(join(tmpdir(), 'warden-pre-commit-home-'));
afterAll(() => {
  workspace.dispose();
  rmSync(home, { recursive: true, force: true });
});

/**
 * `pre-commit try-repo` against this repository's committed HEAD (a fixed ref, so both runs share
 * the one hook environment pre-commit builds with npm), in a project of its own.
 */
const tryRepo = (file: string) =>
  execFileAsync('pre-commit', ['try-repo', resolve('.'), 'warden', '--ref', 'HEAD', '--files', file], {
    cwd: workspace.root,
    env: {
      ...process.env,
      PRE_COMMIT_HOME: home,
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number | string; stdout?: string; stderr?: string }) => ({
      code: error.code,
      stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );

it('runs the warden hook of .pre-commit-hooks.yaml: passes a clean file, fails a vulnerable one', async () => {
  workspace.initRepository().write('clean.py', 'def greet(name):\n    return f"Hello, {name}"\n');
  workspace.write('jobs.py', VULNERABLE).write('notes.txt', VULNERABLE);
  workspace.git('add', '--all');

  const clean = await tryRepo('clean.py');
  expect(clean.stdout).toMatch(/^warden\.+Passed$/m);
  expect(clean.code).toBe(0);

  const vulnerable = await tryRepo('jobs.py');
  expect(vulnerable.stdout).toMatch(/^warden\.+Failed$/m);
  expect(vulnerable.stdout).toContain('jobs.py:4:5: high subprocess-shell-true');
  expect(vulnerable.code).toBe(1);

  // `types: [python]`: a text file is not handed to the hook, whatever it holds.
  const text = await tryRepo('notes.txt');
  expect(text.stdout).toMatch(/^warden\.+\(no files to check\)Skipped$/m);
  expect(text.code).toBe(0);
}, 1_500_000);
