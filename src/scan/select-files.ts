import { globMatcher } from '../config/glob.js';
import type { WardenConfig } from '../config/schema.js';
import { manifestKind } from '../deps/manifests.js';
import type { PullFile } from '../github/pull-files.js';
import type { SkippedFile } from '../report/json.js';
import { isTemplatePath } from '../templates/unescaped-output.js';

export interface FileSelection {
  /**
   * Python files and templates the PR adds, changes or removes, to be fetched and scanned (a
   * removed one in its base version).
   */
  candidates: PullFile[];
  /** Dependency manifests the PR adds or changes (requirements.txt, pyproject.toml, lock files…), when they are checked. */
  manifests: PullFile[];
  skipped: SkippedFile[];
  /** Changed files that are neither Python, a checked template nor a checked manifest. */
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
  /**
   * For a Django or Jinja2 template (by its name, see `isTemplatePath`) when templates are
   * checked: `scan`, or `excluded` when `paths.exclude` leaves it out; `other` for any other file.
   */
  template(path: string): 'scan' | 'excluded' | 'other';
  /** A dependency manifest to check (requirements.txt, pyproject.toml, lock files…) that `paths.exclude` leaves in. */
  manifest(path: string): boolean;
}

/** Which kinds of files beside Python a scan checks. */
export interface CheckedKinds {
  /** Dependency manifests (`dependencies.enabled`). */
  manifests: boolean;
  /** Django and Jinja2 templates (the template rule is on). */
  templates: boolean;
}

/**
 * The config's `paths` globs and the names of the other kinds of files checked, as one filter.
 * `paths.include` picks Python files; templates and manifests are picked by their names, and
 * `paths.exclude` leaves any of them out.
 */
export function pathFilter(paths: WardenConfig['paths'], kinds: CheckedKinds): PathFilter {
  const included = globMatcher(paths.include);
  const excluded = globMatcher(paths.exclude);
  return {
    python: (path, named = false) =>
      isTemplatePath(path) || (!named && !included(path)) ? 'other' : excluded(path) ? 'excluded' : 'scan',
    template: (path) => (!kinds.templates || !isTemplatePath(path) ? 'other' : excluded(path) ? 'excluded' : 'scan'),
    manifest: (path) => kinds.manifests && manifestKind(path) !== undefined && !excluded(path),
  };
}

/**
 * Picks the Python files by the config's globs, and the templates and dependency manifests (the
 * kinds checked) by their names; Python files and templates left out are recorded with their reason.
 */
export function selectFiles(
  files: readonly PullFile[],
  paths: WardenConfig['paths'],
  kinds: CheckedKinds = { manifests: false, templates: false },
): FileSelection {
  const filter = pathFilter(paths, kinds);
  const selection: FileSelection = { candidates: [], manifests: [], skipped: [], nonPythonCount: 0 };
  for (const file of files) {
    const isManifest = file.status !== 'removed' && filter.manifest(file.filename);
    if (isManifest) selection.manifests.push(file);
    const python = filter.python(file.filename);
    const scanned = python === 'other' ? filter.template(file.filename) : python;
    if (scanned === 'other') selection.nonPythonCount += isManifest ? 0 : 1;
    else if (scanned === 'excluded')
      selection.skipped.push({ path: file.filename, reason: 'excluded by `paths.exclude`' });
    else selection.candidates.push(file);
  }
  return selection;
}
