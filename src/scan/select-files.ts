import picomatch from 'picomatch';
import type { WardenConfig } from '../config/schema.js';
import type { PullFile } from '../github/pull-files.js';
import type { SkippedFile } from './types.js';

export interface FileSelection {
  /** Python files the PR adds or changes, to be fetched and scanned. */
  candidates: PullFile[];
  skipped: SkippedFile[];
  nonPythonCount: number;
}

/** Picks the Python files by the config's globs; everything left out is recorded with its reason. */
export function selectFiles(files: readonly PullFile[], paths: WardenConfig['paths']): FileSelection {
  const included = picomatch(paths.include, { dot: true });
  const excluded = paths.exclude.length > 0 ? picomatch(paths.exclude, { dot: true }) : () => false;
  const selection: FileSelection = { candidates: [], skipped: [], nonPythonCount: 0 };
  for (const file of files) {
    if (!included(file.filename)) selection.nonPythonCount++;
    else if (file.status === 'removed') selection.skipped.push({ path: file.filename, reason: 'removed by this pull request' });
    else if (excluded(file.filename)) selection.skipped.push({ path: file.filename, reason: 'excluded by `paths.exclude`' });
    else selection.candidates.push(file);
  }
  return selection;
}
