import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A git command that failed; the message is git's own first line of complaint. */
export class GitError extends Error {}

/**
 * Runs git with settings that make its output parseable whatever the user's config says:
 * unquoted UTF-8 paths, no external diff drivers, no colour.
 */
export async function git(cwd: string, args: string[]): Promise<string> {
  return (await gitOutput(cwd, args)).toString('utf8');
}

async function gitOutput(cwd: string, args: string[]): Promise<Buffer> {
  try {
    const { stdout } = await execFileAsync('git', ['-c', 'core.quotePath=false', '-c', 'color.ui=false', ...args], {
      cwd,
      maxBuffer: 512 * 1024 * 1024,
      encoding: 'buffer',
    });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') throw new GitError('git is not installed or not on PATH');
    const reason =
      failure.stderr
        ?.toString('utf8')
        .split('\n')
        .find((line) => line.trim() !== '') ?? failure.message;
    throw new GitError(`git ${args[0]} failed: ${reason.trim()}`);
  }
}

/** Asked several times per run (config lookup, discovery, rule excludes); each answer costs a git process. */
const repositoryRoots = new Map<string, Promise<string | undefined>>();

/** The top of the work tree that holds `dir`, or undefined outside a git repository. */
export function repositoryRoot(dir: string): Promise<string | undefined> {
  const key = resolve(dir);
  let root = repositoryRoots.get(key);
  if (!root) {
    root = git(key, ['rev-parse', '--show-toplevel']).then(
      (top) => resolve(top.trim()),
      () => undefined,
    );
    repositoryRoots.set(key, root);
  }
  return root;
}

/**
 * Files git would track under `dir`, relative to it: committed, staged or untracked but not
 * ignored, less those deleted from the working tree (the index still lists them).
 */
export async function listRepositoryFiles(dir: string): Promise<string[]> {
  const [listed, deleted] = await Promise.all([
    git(dir, ['ls-files', '--cached', '--others', '--exclude-standard', '--deduplicate', '-z', '--', '.']),
    git(dir, ['ls-files', '--deleted', '-z', '--', '.']),
  ]);
  const gone = new Set(deleted.split('\0'));
  return listed.split('\0').filter((path) => path !== '' && !gone.has(path));
}

/** True when git ignores `path` (a directory named on the command line may itself be ignored). */
export async function isIgnored(path: string): Promise<boolean> {
  try {
    await git(path, ['check-ignore', '--quiet', '--', path]);
    return true;
  } catch {
    return false;
  }
}

/** Untracked, not ignored files of the whole work tree, relative to its root. */
export async function listUntrackedFiles(root: string): Promise<string[]> {
  const output = await git(root, ['ls-files', '--others', '--exclude-standard', '-z']);
  return output.split('\0').filter((path) => path !== '');
}

export async function mergeBase(root: string, base: string): Promise<string> {
  // Verifying first turns git's "Not a valid object name" into a message about the argument.
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]);
  } catch {
    throw new GitError(`--diff ${base}: not a commit in this repository`);
  }
  try {
    return (await git(root, ['merge-base', base, 'HEAD'])).trim();
  } catch {
    throw new GitError(`--diff ${base}: no common ancestor with HEAD`);
  }
}

/** The diff from `commit` to the working tree, renames followed, with no context lines. */
export async function diffAgainstWorkingTree(root: string, commit: string): Promise<string> {
  return git(root, [
    'diff',
    commit,
    '-M',
    '--unified=0',
    '--no-color',
    '--no-ext-diff',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--',
  ]);
}

/**
 * The bytes of `path` (relative to the root) in `commit`, or why they were not read: files over
 * `maxBytes` are not read at all.
 */
export async function readCommittedFile(
  root: string,
  commit: string,
  path: string,
  maxBytes: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: number } | { missing: true }> {
  const object = `${commit}:${path}`;
  let size: number;
  try {
    size = Number((await git(root, ['cat-file', '-s', object])).trim());
  } catch {
    return { missing: true };
  }
  if (size > maxBytes) return { tooLarge: size };
  return { bytes: new Uint8Array(await gitOutput(root, ['cat-file', 'blob', object])) };
}
