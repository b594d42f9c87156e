import { globMatcher } from '../config/glob.js';
import type { WardenConfig } from '../config/schema.js';
import { manifestKind } from '../deps/manifests.js';
import type { PullFile } from '../github/pull-files.js';
import type { SkippedFile } from '../report/json.js';

export interface FileSelection {
  /** Python files the PR adds, changes or removes, to be fetched and scanned (a removed one in its base version). */
  candidates: PullFile[];
  /** Dependency manifests the PR adds or changes (requirements.txt, pyproject.toml, lock files…), when they are checked. */
  manifests: PullFile[];
  skipped: SkippedFile[];
  /** Changed files that are neither Python nor a checked manifest. */
  nonPythonCount: number;
}

/**
 * Which files a scan covers, the same for a pull request's changed files and a local scan's
 * discovered ones. Paths are relative to the repository root, as the config's globs are.
 */
export interface PathFilter {
  /**
   * `scan` for a Python file by `paths.include` (or whatever its name, when it was `named` on
   * purpose), `excluded` when `paths.exclude` leaves it out, `other` when it is not Python.
   */
  python(path: string, named?: boolean): 'scan' | 'excluded' | 'other';
  /** A dependency manifest to check (requirements.txt, pyproject.toml, lock files…) that `paths.exclude` leaves in. */
  manifest(path: string): boolean;
}

/** The config's `paths` globs and, when `checkManifests`, the manifests' names, as one filter. */
export function pathFilter(paths: WardenConfig['paths'], checkManifests: boolean): PathFilter {
  const included = globMatcher(paths.include);
  const excluded = globMatcher(paths.exclude);
  return {
    python: (path, named = false) => (!named && !included(path) ? 'other' : excluded(path) ? 'excluded' : 'scan'),
    manifest: (path) => checkManifests && manifestKind(path) !== undefined && !excluded(path),
  };
}

/**
 * Picks the Python files by the config's globs, and (when `checkManifests`) the dependency
 * manifests by their names; Python files left out are recorded with their reason.
 */
export function selectFiles(
  files: readonly PullFile[],
  paths: WardenConfig['paths'],
  checkManifests = false,
): FileSelection {
  const filter = pathFilter(paths, checkManifests);
  const selection: FileSelection = { candidates: [], manifests: [], skipped: [], nonPythonCount: 0 };
  for (const file of files) {
    const isManifest = file.status !== 'removed' && filter.manifest(file.filename);
    if (isManifest) selection.manifests.push(file);
    const python = filter.python(file.filename);
    if (python === 'other') selection.nonPythonCount += isManifest ? 0 : 1;
    else if (python === 'excluded')
      selection.skipped.push({ path: file.filename, reason: 'excluded by `paths.exclude`' });
    else selection.candidates.push(file);
  }
  return selection;
}
