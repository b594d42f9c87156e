import { createHash } from 'node:crypto';
import { structuredPatch, type StructuredPatchHunk } from 'diff';

/** A file's bytes in one commit. Strings are stored as UTF-8. */
export type FileContent = string | Buffer;

export interface Commit {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  files: ReadonlyMap<string, Buffer>;
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed';

/** One entry of `GET /pulls/{n}/files`, as GitHub shapes it. */
export interface ChangedFile {
  sha: string | null;
  filename: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  raw_url: string;
  contents_url: string;
  patch?: string;
  previous_filename?: string;
}

/** GitHub leaves `patch` out of the files API for diffs this large; clients must diff locally. */
export const MAX_PATCH_BYTES = 1_000_000;

function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Git's blob id, so blob SHAs look and behave like GitHub's. */
export function blobSha(content: Buffer): string {
  return sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
}

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

function hunkRange(start: number, count: number): string {
  // Git writes the line before an empty range, and leaves out a count of one.
  const shownStart = count === 0 ? start - 1 : start;
  return count === 1 ? `${shownStart}` : `${shownStart},${count}`;
}

function formatHunks(hunks: readonly StructuredPatchHunk[]): string {
  return hunks
    .map((hunk) =>
      [
        `@@ -${hunkRange(hunk.oldStart, hunk.oldLines)} +${hunkRange(hunk.newStart, hunk.newLines)} @@`,
        ...hunk.lines,
      ].join('\n'),
    )
    .join('\n');
}

/** The `patch` text GitHub gives for one file: hunks only, three lines of context, no file headers. */
export function filePatch(
  path: string,
  before: string,
  after: string,
): { patch: string; additions: number; deletions: number } {
  const { hunks } = structuredPatch(path, path, before, after, '', '', { context: 3 });
  let additions = 0;
  let deletions = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions += 1;
      else if (line.startsWith('-')) deletions += 1;
    }
  }
  return { patch: formatHunks(hunks), additions, deletions };
}

/** A repository's object store and branches. */
export class RepositoryStore {
  private readonly commits = new Map<string, Commit>();
  private readonly branches = new Map<string, string>();
  private commitCounter = 0;
  /** Commits never change, so their diffs can be kept: a 3,000-file PR is listed 30 pages at a time. */
  private readonly diffCache = new Map<string, ChangedFile[]>();

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly defaultBranch = 'main',
  ) {}

  commit(sha: string): Commit | undefined {
    return this.commits.get(sha);
  }

  branch(name: string): string | undefined {
    return this.branches.get(name);
  }

  branchNames(): string[] {
    return [...this.branches.keys()];
  }

  /** A SHA, a branch name, or a unique SHA prefix of at least 7 characters. */
  resolve(ref: string): Commit | undefined {
    const branchSha = this.branches.get(ref.replace(/^refs\/heads\//, ''));
    if (branchSha) return this.commits.get(branchSha);
    const exact = this.commits.get(ref);
    if (exact) return exact;
    if (/^[0-9a-f]{7,39}$/.test(ref)) {
      const candidates = [...this.commits.keys()].filter((sha) => sha.startsWith(ref));
      if (candidates.length === 1) return this.commits.get(candidates[0]);
    }
    return undefined;
  }

  /**
   * Commits on a branch (created from `from` when new). `changes` maps paths to new content,
   * or to null to delete the file.
   */
  pushCommit(branch: string, message: string, changes: Record<string, FileContent | null>, from?: string): Commit {
    const parentSha = this.branches.get(branch) ?? (from ? this.resolve(from)?.sha : undefined);
    if (from && !this.branches.has(branch) && !parentSha) throw new Error(`unknown ref ${from}`);
    const parent = parentSha ? this.commits.get(parentSha) : undefined;
    const files = new Map(parent?.files ?? []);
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) files.delete(path);
      else files.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    }
    const treeSha = sha1(
      [...files.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([path, content]) => `${path}:${blobSha(content)}`)
        .join('\n'),
    );
    this.commitCounter += 1;
    const date = new Date(Date.UTC(2026, 0, 1, 0, 0, this.commitCounter)).toISOString().replace('.000Z', 'Z');
    const author = { name: 'Octo Cat', email: 'octocat@example.com', date };
    const sha = sha1(
      `tree ${treeSha}\nparent ${parentSha ?? ''}\n${message}\n${this.owner}/${this.name}#${this.commitCounter}`,
    );
    const commit: Commit = { sha, treeSha, parents: parentSha ? [parentSha] : [], message, author, files };
    this.commits.set(sha, commit);
    this.branches.set(branch, sha);
    return commit;
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  isAncestor(ancestor: string, descendant: string): boolean {
    const queue = [descendant];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** The files changed from `baseSha` to `headSha`, sorted by path as GitHub lists them. */
  changedFiles(baseSha: string, headSha: string, baseUrl: string): ChangedFile[] {
    const key = `${baseSha}..${headSha} ${baseUrl}`;
    const cached = this.diffCache.get(key);
    if (cached) return cached;
    const result = this.computeChangedFiles(baseSha, headSha, baseUrl);
    this.diffCache.set(key, result);
    return result;
  }

  private computeChangedFiles(baseSha: string, headSha: string, baseUrl: string): ChangedFile[] {
    const base = this.commits.get(baseSha);
    const head = this.commits.get(headSha);
    if (!base || !head) throw new Error(`unknown commit ${base ? headSha : baseSha}`);
    const paths = new Set([...base.files.keys(), ...head.files.keys()]);
    const result: ChangedFile[] = [];
    for (const path of [...paths].sort()) {
      const before = base.files.get(path);
      const after = head.files.get(path);
      if (before && after && before.equals(after)) continue;
      const status: FileStatus = !before ? 'added' : !after ? 'removed' : 'modified';
      const content = after ?? before!;
      const encodedPath = path.split('/').map(encodeURIComponent).join('/');
      const entry: ChangedFile = {
        sha: after ? blobSha(after) : null,
        filename: path,
        status,
        additions: 0,
        deletions: 0,
        changes: 0,
        blob_url: `https://github.com/${this.owner}/${this.name}/blob/${headSha}/${encodedPath}`,
        raw_url: `https://github.com/${this.owner}/${this.name}/raw/${headSha}/${encodedPath}`,
        contents_url: `${baseUrl}/repos/${this.owner}/${this.name}/contents/${encodedPath}?ref=${headSha}`,
      };
      if (!isBinary(content) && !(before && isBinary(before))) {
        const diff = filePatch(path, before?.toString('utf8') ?? '', after?.toString('utf8') ?? '');
        entry.additions = diff.additions;
        entry.deletions = diff.deletions;
        entry.changes = diff.additions + diff.deletions;
        if (Buffer.byteLength(diff.patch) <= MAX_PATCH_BYTES) entry.patch = diff.patch;
      }
      result.push(entry);
    }
    return result;
  }
}

/** A hunk's ranges on both sides, 1-based and inclusive; review comments must anchor inside one. */
export interface HunkSpan {
  left: { start: number; end: number };
  right: { start: number; end: number };
}

/** The hunks of one file between two commits (empty when the file did not change or is binary). */
export function fileHunks(base: Commit, head: Commit, path: string): HunkSpan[] {
  const before = base.files.get(path);
  const after = head.files.get(path);
  if (!before && !after) return [];
  if ((before && isBinary(before)) || (after && isBinary(after))) return [];
  const { hunks } = structuredPatch(path, path, before?.toString('utf8') ?? '', after?.toString('utf8') ?? '', '', '', {
    context: 3,
  });
  return hunks.map((hunk) => ({
    left: { start: hunk.oldStart, end: hunk.oldStart + hunk.oldLines - 1 },
    right: { start: hunk.newStart, end: hunk.newStart + hunk.newLines - 1 },
  }));
}

/**
 * The `diff_hunk` GitHub stores with a review comment: the hunk's header and its lines up to
 * and including the commented one.
 */
export function diffHunkText(base: Commit, head: Commit, path: string, line: number, side: 'LEFT' | 'RIGHT'): string {
  const before = base.files.get(path)?.toString('utf8') ?? '';
  const after = head.files.get(path)?.toString('utf8') ?? '';
  const { hunks } = structuredPatch(path, path, before, after, '', '', { context: 3 });
  for (const hunk of hunks) {
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    const shown = [`@@ -${hunkRange(hunk.oldStart, hunk.oldLines)} +${hunkRange(hunk.newStart, hunk.newLines)} @@`];
    for (const text of hunk.lines) {
      if (text.startsWith('\\')) continue;
      shown.push(text);
      const isOld = !text.startsWith('+');
      const isNew = !text.startsWith('-');
      if ((side === 'RIGHT' && isNew && newLine === line) || (side === 'LEFT' && isOld && oldLine === line))
        return shown.join('\n');
      if (isOld) oldLine += 1;
      if (isNew) newLine += 1;
    }
  }
  return '';
}

/**
 * Converts the deprecated `position` (lines below the first `@@` of the file's patch) into a
 * line and side, or undefined when the position is outside the patch or on a hunk header.
 */
export function positionToLine(patch: string, position: number): { line: number; side: 'LEFT' | 'RIGHT' } | undefined {
  const lines = patch.split('\n');
  let oldLine = 0;
  let newLine = 0;
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index];
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      if (index === position) return undefined;
      continue;
    }
    if (index === position) {
      if (text.startsWith('-')) return { line: oldLine, side: 'LEFT' };
      if (text.startsWith('\\')) return undefined;
      return { line: newLine, side: 'RIGHT' };
    }
    if (text.startsWith('-')) oldLine += 1;
    else if (text.startsWith('+')) newLine += 1;
    else if (!text.startsWith('\\')) {
      oldLine += 1;
      newLine += 1;
    }
  }
  return undefined;
}

/**
 * Where a line of `before` is in `after`, the way GitHub carries a review comment forward to a
 * newer commit; null when the line itself was changed or removed (the comment is outdated).
 */
export function mapLineForward(before: string, after: string, line: number): number | null {
  const { hunks } = structuredPatch('a', 'a', before, after, '', '', { context: 0 });
  let shift = 0;
  for (const hunk of hunks) {
    // The diff library gives a pure insertion the old line it goes before, so `<` holds for both kinds.
    if (line < hunk.oldStart) break;
    if (hunk.oldLines > 0 && line < hunk.oldStart + hunk.oldLines) return null;
    shift += hunk.newLines - hunk.oldLines;
  }
  return line + shift;
}

/** The deprecated `position` of a RIGHT-side line in a file's patch, or null when the patch does not show it. */
export function lineToPosition(patch: string, line: number, side: 'LEFT' | 'RIGHT'): number | null {
  const lines = patch.split('\n');
  for (let position = 1; position < lines.length; position += 1) {
    const placed = positionToLine(patch, position);
    if (placed && placed.line === line && placed.side === side) return position;
  }
  return null;
}
