import { parsePatch, structuredPatch, type StructuredPatchHunk } from 'diff';

/** A hunk's line range on the new (RIGHT) side, 1-based and inclusive. */
export interface HunkRange {
  start: number;
  end: number;
}

/** What a diff did to one file, seen from the new side. */
export interface FileDiff {
  /** Lines the diff added or changed (`+` lines), 1-based on the new side. */
  touchedLines: Set<number>;
  /** Every hunk's RIGHT-side range: review comments may only anchor inside one. */
  hunks: HunkRange[];
}

export class DiffParseError extends Error {}

function fromHunks(hunks: readonly StructuredPatchHunk[]): FileDiff {
  const touchedLines = new Set<number>();
  const ranges: HunkRange[] = [];
  for (const hunk of hunks) {
    let line = hunk.newStart;
    for (const text of hunk.lines) {
      if (text.startsWith('+')) touchedLines.add(line++);
      else if (text.startsWith(' ')) line++;
      // `-` lines and "\ No newline at end of file" take no line on the new side.
    }
    if (hunk.newLines > 0) ranges.push({ start: hunk.newStart, end: hunk.newStart + hunk.newLines - 1 });
  }
  return { touchedLines, hunks: ranges };
}

/** Parses one file's hunks, as in the `patch` field of GitHub's PR files API. */
export function parseFilePatch(patch: string): FileDiff {
  if (patch.trim() === '') return { touchedLines: new Set(), hunks: [] };
  try {
    const [file] = parsePatch(patch);
    return fromHunks(file?.hunks ?? []);
  } catch (error) {
    throw new DiffParseError(`cannot parse the diff: ${(error as Error).message}`);
  }
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed';

export interface GitFileDiff extends FileDiff {
  path: string;
  previousPath?: string;
  status: FileStatus;
}

function stripPrefix(name: string | undefined): string | undefined {
  if (!name || name === '/dev/null') return undefined;
  return name.replace(/^[ab]\//, '');
}

/** Parses multi-file `git diff` output (with `--no-prefix` or a/ b/ prefixes) into per-file diffs. */
export function parseGitDiff(text: string): GitFileDiff[] {
  let files;
  try {
    files = parsePatch(text);
  } catch (error) {
    throw new DiffParseError(`cannot parse the diff: ${(error as Error).message}`);
  }
  const result: GitFileDiff[] = [];
  for (const file of files) {
    const oldPath = stripPrefix(file.oldFileName);
    const newPath = stripPrefix(file.newFileName);
    const path = newPath ?? oldPath;
    if (!path) continue;
    const status: FileStatus = !newPath ? 'removed' : !oldPath ? 'added' : oldPath !== newPath ? 'renamed' : 'modified';
    const entry: GitFileDiff = { path, status, ...fromHunks(file.hunks) };
    if (status === 'renamed') entry.previousPath = oldPath;
    result.push(entry);
  }
  return result;
}

/** Diffs two versions locally, for files whose patch GitHub left out (binary-looking or huge diffs). */
export function diffTexts(oldText: string, newText: string): FileDiff {
  const patch = structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context: 3 });
  return fromHunks(patch.hunks);
}

/**
 * True when a review comment spanning `startLine..line` on the RIGHT side can be posted: both
 * ends must sit in the same hunk, or GitHub rejects the whole review with a 422.
 */
export function isValidAnchor(diff: FileDiff, line: number, startLine?: number): boolean {
  const first = startLine ?? line;
  if (first > line) return false;
  return diff.hunks.some((hunk) => hunk.start <= first && line <= hunk.end);
}
