import { createRequire } from 'node:module';
import type { StructuredPatchHunk } from 'diff';

let jsdiff: typeof import('diff') | undefined;

/** The diff library, loaded on first use: a local scan without `--diff` never needs it, and every CLI run would pay to load it. */
function diffLibrary(): typeof import('diff') {
  jsdiff ??= createRequire(import.meta.url)('diff') as typeof import('diff');
  return jsdiff;
}

/** A hunk's line range on the new (RIGHT) side, 1-based and inclusive. */
export interface HunkRange {
  start: number;
  end: number;
}

/** A numbered line of one side of a diff. */
export interface DiffLine {
  line: number;
  text: string;
}

/**
 * One run of consecutive `-` and `+` lines: what the change replaced (base side, LEFT) and
 * with what (head side, RIGHT). A pure insertion has no removed lines, a pure deletion no added ones.
 */
export interface ChangeBlock {
  removed: DiffLine[];
  added: DiffLine[];
}

/** What a diff did to one file. */
export interface FileDiff {
  /** Lines the diff added or changed (`+` lines), 1-based on the new side. */
  touchedLines: Set<number>;
  /** Every hunk's RIGHT-side range: review comments may only anchor inside one. */
  hunks: HunkRange[];
  /** Every hunk's LEFT-side range, where a comment on a removed line may anchor. */
  baseHunks: HunkRange[];
  /** The changes in order, with the text of both sides. */
  blocks: ChangeBlock[];
}

/** A diff of a file with no changed lines (a pure rename, a mode change). */
export function emptyDiff(): FileDiff {
  return { touchedLines: new Set(), hunks: [], baseHunks: [], blocks: [] };
}

export class DiffParseError extends Error {}

function fromHunks(hunks: readonly StructuredPatchHunk[]): FileDiff {
  const diff = emptyDiff();
  for (const hunk of hunks) {
    let line = hunk.newStart;
    let baseLine = hunk.oldStart;
    let block: ChangeBlock = { removed: [], added: [] };
    const closeBlock = () => {
      if (block.removed.length > 0 || block.added.length > 0) diff.blocks.push(block);
      block = { removed: [], added: [] };
    };
    for (const text of hunk.lines) {
      if (text.startsWith('+')) {
        diff.touchedLines.add(line);
        block.added.push({ line: line++, text: text.slice(1) });
      } else if (text.startsWith('-')) {
        // A block is removals, then additions: a `-` after `+` lines starts the next one.
        if (block.added.length > 0) closeBlock();
        block.removed.push({ line: baseLine++, text: text.slice(1) });
      } else if (text.startsWith(' ')) {
        closeBlock();
        line++;
        baseLine++;
      }
      // "\ No newline at end of file" takes no line on either side.
    }
    closeBlock();
    if (hunk.newLines > 0) diff.hunks.push({ start: hunk.newStart, end: hunk.newStart + hunk.newLines - 1 });
    if (hunk.oldLines > 0) diff.baseHunks.push({ start: hunk.oldStart, end: hunk.oldStart + hunk.oldLines - 1 });
  }
  return diff;
}

/** Parses one file's hunks, as in the `patch` field of GitHub's PR files API. */
export function parseFilePatch(patch: string): FileDiff {
  if (patch.trim() === '') return emptyDiff();
  try {
    const [file] = diffLibrary().parsePatch(patch);
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
    files = diffLibrary().parsePatch(text);
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

/** Lines of unchanged code around each change in a diff, as git and GitHub show. */
const CONTEXT_LINES = 3;

/**
 * Diffs two versions locally, for files whose patch GitHub left out (binary-looking or huge
 * diffs) and for local scans. The lines both versions start and end with are set aside first,
 * but for the context around the change: a one-line edit in a 15,000-line file then diffs a
 * few lines instead of every line. Leaving out a common prefix and suffix keeps the diff minimal.
 */
export function diffTexts(oldText: string, newText: string): FileDiff {
  const oldLines = oldText.split('\n');
  const newLines = newText.split('\n');
  const shorter = Math.min(oldLines.length, newLines.length);
  let same = 0;
  while (same < shorter && oldLines[same] === newLines[same]) same++;
  let sameAtEnd = 0;
  while (
    sameAtEnd < shorter - same &&
    oldLines[oldLines.length - 1 - sameAtEnd] === newLines[newLines.length - 1 - sameAtEnd]
  )
    sameAtEnd++;
  const skipped = Math.max(0, same - CONTEXT_LINES);
  const skippedAtEnd = Math.max(0, sameAtEnd - CONTEXT_LINES);
  // The kept lines end where a line break of the set-aside suffix was.
  const kept = (text: string, lines: string[]) =>
    skipped === 0 && skippedAtEnd === 0
      ? text
      : `${lines.slice(skipped, lines.length - skippedAtEnd).join('\n')}${skippedAtEnd > 0 ? '\n' : ''}`;
  const oldKept = kept(oldText, oldLines);
  const newKept = kept(newText, newLines);
  const patch = diffLibrary().structuredPatch('a', 'b', oldKept, newKept, undefined, undefined, {
    context: CONTEXT_LINES,
  });
  return fromHunks(
    patch.hunks.map((hunk) => ({ ...hunk, oldStart: hunk.oldStart + skipped, newStart: hunk.newStart + skipped })),
  );
}

/**
 * The base version of a file, rebuilt from its head version and GitHub's patch (which is
 * relative to the merge base): no API call, and exactly the blob the diff was computed from.
 * Undefined when the patch does not apply, which a complete patch always does.
 */
export function baseTextFromPatch(headText: string, patch: string): string | undefined {
  if (patch.trim() === '') return headText;
  try {
    const [file] = diffLibrary().parsePatch(patch);
    if (!file) return undefined;
    const base = diffLibrary().applyPatch(headText, diffLibrary().reversePatch(file));
    return base === false ? undefined : base;
  } catch {
    return undefined;
  }
}

/** Which version of the file a review comment is on: the head (`RIGHT`) or the base (`LEFT`, removed lines). */
export type DiffSide = 'LEFT' | 'RIGHT';

/**
 * True when a review comment spanning `startLine..line` on `side` can be posted: both ends must
 * sit in the same hunk of that side, or GitHub rejects the whole review with a 422.
 */
export function isValidAnchor(diff: FileDiff, line: number, startLine?: number, side: DiffSide = 'RIGHT'): boolean {
  const first = startLine ?? line;
  if (first > line) return false;
  return (side === 'RIGHT' ? diff.hunks : diff.baseHunks).some((hunk) => hunk.start <= first && line <= hunk.end);
}
