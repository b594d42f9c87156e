import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '../../src/cli/run.js';

/** A throw-away directory of files, removed by `dispose`. */
export class Workspace {
  readonly root = mkdtempSync(join(tmpdir(), 'warden-cli-'));

  write(path: string, content: string | Uint8Array): this {
    const file = join(this.root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return this;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
      },
    });
  }

  /** A repository with the given files committed. */
  initRepository(): this {
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'commit.gpgsign', 'false');
    return this;
  }

  commitAll(message: string): this {
    this.git('add', '--all');
    this.git('commit', '--quiet', '-m', message);
    return this;
  }

  /** Runs `warden <argv>` in the workspace and captures what it writes. */
  warden(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return this.wardenIn('.', ...argv);
  }

  /** Runs `warden <argv>` in a directory of the workspace. */
  async wardenIn(directory: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      cwd: join(this.root, directory),
    });
    return { code, stdout, stderr };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const SHELL_CALL = 'subprocess.run(f"tar czf {name}.tgz", shell=True)';
/** A file with one high-severity subprocess-shell-true finding, on line 4. */
export const VULNERABLE = `import subprocess\n\ndef archive(name):\n    ${SHELL_CALL}\n`;
