import { afterAll, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
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

const preCommit = (...args: string[]) =>
  execFileAsync('pre-commit', args, {
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

/**
 * The `warden` hook of .pre-commit-hooks.yaml as a project uses it: pre-commit builds the hook's
 * environment from this repository's committed HEAD with npm (install, build, pack, install the
 * tarball), which takes minutes, so this test runs only when WARDEN_PRE_COMMIT_TEST=1 (.ci/run sets
 * it). `pre-commit try-repo` does the same with a throw-away store, so each of its runs would build
 * the environment again; `pre-commit run` with the same repository and rev builds it once.
 */
(process.env.WARDEN_PRE_COMMIT_TEST === '1' ? it : it.skip)(
  'runs the warden hook: passes a clean file, fails a vulnerable one, skips files that are not Python',
  async () => {
    const rev = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    workspace
      .initRepository()
      .write(
        '.pre-commit-config.yaml',
        `repos:\n  - repo: ${JSON.stringify(resolve('.'))}\n    rev: ${rev}\n    hooks: [{ id: warden }]\n`,
      )
      .write('clean.py', 'def greet(name):\n    return f"Hello, {name}"\n')
      .write('jobs.py', VULNERABLE)
      .write('notes.txt', VULNERABLE);
    workspace.git('add', '--all');

    const clean = await preCommit('run', 'warden', '--files', 'clean.py');
    expect(clean.stdout).toMatch(/^warden\.+Passed$/m);
    expect(clean.code).toBe(0);

    const vulnerable = await preCommit('run', 'warden', '--files', 'jobs.py');
    expect(vulnerable.stdout).toMatch(/^warden\.+Failed$/m);
    expect(vulnerable.stdout).toContain('jobs.py:4:5: high subprocess-shell-true');
    expect(vulnerable.code).toBe(1);

    // `types: [python]`: a text file is not handed to the hook, whatever it holds.
    const text = await preCommit('run', 'warden', '--files', 'notes.txt');
    expect(text.stdout).toMatch(/^warden\.+\(no files to check\)Skipped$/m);
    expect(text.code).toBe(0);
  },
  1_500_000,
);
