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
 * Picks the Python files by the config's globs, and (when `checkManifests`) the dependency
 * manifests by their names; Python files left out are recorded with their reason.
 */
export function selectFiles(
  files: readonly PullFile[],
  paths: WardenConfig['paths'],
  checkManifests = false,
): FileSelection {
  const included = globMatcher(paths.include);
  const excluded = globMatcher(paths.exclude);
  const selection: FileSelection = { candidates: [], manifests: [], skipped: [], nonPythonCount: 0 };
  for (const file of files) {
    const isManifest =
      checkManifests &&
      manifestKind(file.filename) !== undefined &&
      file.status !== 'removed' &&
      !excluded(file.filename);
    if (isManifest) selection.manifests.push(file);
    if (!included(file.filename)) selection.nonPythonCount += isManifest ? 0 : 1;
    else if (excluded(file.filename))
      selection.skipped.push({ path: file.filename, reason: 'excluded by `paths.exclude`' });
    else selection.candidates.push(file);
  }
  return selection;
}
