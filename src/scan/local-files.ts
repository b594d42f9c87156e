import { open, opendir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { SkippedFile } from '../report/json.js';
import { isIgnored, listRepositoryFiles, repositoryRoot } from './git.js';
import type { PathFilter } from './select-files.js';

/** Directories that never hold the project's own code. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', '.tox', '.nox', '__pycache__', 'node_modules']);

/** A virtualenv is recognised by its marker file, whatever the directory is called ... */
const VIRTUALENV_MARKER = 'pyvenv.cfg';
/** ... or by its conventional name, unless it is a package (the standard library has a `venv` package). */
const VIRTUALENV_NAMES = new Set(['.venv', 'venv']);
const PACKAGE_MARKER = '__init__.py';

/** What a local scan covers; paths are absolute, sorted, without duplicates. */
export interface FileDiscovery {
  /** Python files to scan. */
  python: string[];
  /** Django and Jinja2 templates to check. */
  templates: string[];
  /** Dependency manifests to check. */
  manifests: string[];
  /** Files and directories that could not be read (absolute paths). */
  skipped: SkippedFile[];
}

export interface DiscoveryOptions {
  cwd: string;
  /** Files and directories named on the command line, relative to `cwd`. */
  paths: string[];
  /** The config's globs, matched against paths relative to the repository root (or `cwd` outside a repository). */
  filter: PathFilter;
}

/** A path argument that does not exist: a usage error, not a skipped file. */
export class MissingPathError extends Error {}

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOENT':
      return 'no such file (a broken symbolic link?)';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ? `cannot read (${code})` : `cannot read (${(error as Error).message})`;
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

function hasSkippedComponent(
  relativePath: string,
  virtualenvs: ReadonlySet<string>,
  listed: ReadonlySet<string>,
): boolean {
  const parts = relativePath.split('/');
  parts.pop();
  for (let i = 0; i < parts.length; i++) {
    const dir = parts.slice(0, i + 1).join('/');
    if (SKIPPED_DIRECTORIES.has(parts[i]) || virtualenvs.has(dir)) return true;
    if (VIRTUALENV_NAMES.has(parts[i]) && !listed.has(`${dir}/${PACKAGE_MARKER}`)) return true;
  }
  return false;
}

/** Files git knows of under `dir` (ignored ones left out), as absolute paths. */
async function repositoryFiles(dir: string): Promise<string[]> {
  const listed = await listRepositoryFiles(dir);
  const virtualenvs = new Set(
    listed
      .filter((path) => path === VIRTUALENV_MARKER || path.endsWith(`/${VIRTUALENV_MARKER}`))
      .map((path) => path.slice(0, -VIRTUALENV_MARKER.length - 1)),
  );
  if (virtualenvs.has('')) return [];
  const listedSet = new Set(listed);
  return listed.filter((path) => !hasSkippedComponent(path, virtualenvs, listedSet)).map((path) => join(dir, path));
}

/**
 * Walks a directory outside git. Symbolic links to directories are not followed, so a link
 * loop cannot trap the walk; links to files are listed and read through.
 */
async function walkDirectory(root: string, skipped: SkippedFile[]): Promise<string[]> {
  const files: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = [];
      for await (const entry of await opendir(dir)) entries.push(entry);
    } catch (error) {
      skipped.push({ path: dir, reason: `directory not read: ${describeFileError(error)}` });
      continue;
    }
    if (entries.some((entry) => entry.name === VIRTUALENV_MARKER && !entry.isDirectory())) continue;
    if (dir !== root && VIRTUALENV_NAMES.has(basename(dir)) && !entries.some((entry) => entry.name === PACKAGE_MARKER))
      continue;
    if (dir !== root && entries.some((entry) => entry.name === '.git')) {
      // A repository nested in plain directories: let its own ignore rules apply.
      files.push(...(await repositoryFiles(dir).catch(() => [])));
      continue;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path);
      } else if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (!target?.isDirectory()) files.push(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  }
  return files;
}

/** The files a scan of `paths` covers, by the same filter as a pull request's changed files. */
export async function discoverFiles(options: DiscoveryOptions): Promise<FileDiscovery> {
  const base = (await repositoryRoot(options.cwd)) ?? resolve(options.cwd);
  const { filter } = options;
  // Globs are written relative to the repository root; a path outside it is matched relative to its argument.
  const globPath = (file: string, scanRoot: string) => toPosix(relative(isInside(base, file) ? base : scanRoot, file));

  const python = new Set<string>();
  const templates = new Set<string>();
  const manifests = new Set<string>();
  const skipped: SkippedFile[] = [];
  const add = (file: string, scanRoot: string, named: boolean) => {
    const path = globPath(file, scanRoot);
    if (filter.python(path, named) === 'scan') python.add(file);
    if (filter.template(path) === 'scan') templates.add(file);
    if (filter.manifest(path)) manifests.add(file);
  };
  for (const argument of options.paths.length > 0 ? options.paths : ['.']) {
    const target = resolve(options.cwd, argument);
    let targetStats;
    try {
      targetStats = await stat(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new MissingPathError(`${argument}: no such file or directory`);
      skipped.push({ path: target, reason: describeFileError(error) });
      continue;
    }
    if (!targetStats.isDirectory()) {
      // A file named on the command line is scanned whatever its extension, unless excluded.
      add(target, dirname(target), true);
      continue;
    }
    // A directory that git ignores as a whole was named on purpose: walk it like one outside git.
    const useGit = (await repositoryRoot(target)) !== undefined && !(await isIgnored(target));
    const candidates = useGit ? await repositoryFiles(target) : await walkDirectory(target, skipped);
    for (const file of candidates) add(file, target, false);
  }
  return { python: [...python].sort(), templates: [...templates].sort(), manifests: [...manifests].sort(), skipped };
}

/**
 * True when a scan of `paths` would cover `file`, which no longer exists (a diff deleted it), by
 * the same globs as `discoverFiles`: its base version is scanned for the findings it fixed.
 */
export function coversDeletedFile(options: DiscoveryOptions, root: string, file: string): boolean {
  const path = toPosix(relative(root, file));
  if (options.filter.python(path) !== 'scan' && options.filter.template(path) !== 'scan') return false;
  return (options.paths.length > 0 ? options.paths : ['.']).some((argument) => {
    const target = resolve(options.cwd, argument);
    return target === file || isInside(target, file);
  });
}

/** A file's bytes, its size when over `maxBytes` (it is never loaded), or why it could not be read. */
export async function readLocalFile(
  path: string,
  maxBytes: number,
): Promise<{ bytes: Buffer } | { tooLarge: number } | { skipped: string }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return { skipped: 'not a regular file' };
    // Checked before reading, so a multi-gigabyte file is never loaded.
    if (info.size > maxBytes) return { tooLarge: info.size };
    const handle = await open(path, 'r');
    try {
      return { bytes: await handle.readFile() };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { skipped: describeFileError(error) };
  }
}
