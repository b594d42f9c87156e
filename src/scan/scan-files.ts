import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { DiffParseError, diffTexts, parseFilePatch, type FileDiff } from '../diff/patch.js';
import type { AnyRule } from '../engine/rule.js';
import { scanBytes } from '../engine/scan-source.js';
import { decodePythonSource } from '../engine/source.js';
import type { Finding } from '../engine/types.js';
import type { GitHubClient, RepoRef } from '../github/client.js';
import { blobContent, fetchBlobs, type BlobContent, type BlobRequest } from '../github/contents.js';
import { mergeBaseSha, type PullFile } from '../github/pull-files.js';
import type { ScannedFile } from './review-plan.js';
import type { FileNote, ScanRequest, SkippedFile } from './types.js';

/** Tree-sitter frees trees only when the event loop turns; scanning many files in one go would pile them up. */
const FILES_PER_TURN = 8;

export interface EngineSettings {
  rules: readonly AnyRule[];
  ruleOptions: Record<string, Record<string, unknown>>;
  maxFileBytes: number;
}

export interface FilesScan {
  /** Scanned files by path. */
  files: Map<string, ScannedFile>;
  /** Every finding in the scanned files, touched or not, suppressed or not. */
  findings: Finding[];
  skipped: SkippedFile[];
  notes: FileNote[];
}

function whyNotScannable(content: Exclude<BlobContent, { kind: 'text' }>): string {
  switch (content.kind) {
    case 'binary':
      return 'binary file';
    case 'too-large':
      return `larger than \`max_file_size\` (${content.byteSize} bytes)`;
    case 'missing':
      return 'not found at the head commit';
  }
}

function textOf(content: BlobContent): string {
  if (content.kind !== 'text') return '';
  const decoded = decodePythonSource(content.bytes);
  return decoded.kind === 'text' ? decoded.text : '';
}

/** GitHub left the patch out of a file that has changed lines: the diff must be recomputed here. */
function needsLocalDiff(file: PullFile): boolean {
  return file.patch === undefined && file.changes > 0;
}

/** A recomputed diff needs the old version, unless the file is new. */
function needsBaseContent(file: PullFile): boolean {
  return needsLocalDiff(file) && file.status !== 'added';
}

/** The lines a file's diff touches: from GitHub's patch, or recomputed when GitHub left it out. */
function fileDiff(file: PullFile, headText: string, baseContent: BlobContent | undefined): FileDiff {
  if (file.patch !== undefined) return parseFilePatch(file.patch);
  if (!needsLocalDiff(file)) return { touchedLines: new Set(), hunks: [] };
  return diffTexts(baseContent ? textOf(baseContent) : '', headText);
}

/**
 * Fetches the candidates' contents (in bulk, at the head SHA, through the base repository),
 * works out the touched lines of each and runs the engine on the whole file, so data flows
 * that start outside the diff are still seen.
 */
export async function scanPullFiles(octokit: GitHubClient, request: ScanRequest, candidates: readonly PullFile[], settings: EngineSettings): Promise<FilesScan> {
  const repo: RepoRef = request.repo;
  const needBase = candidates.filter(needsBaseContent);
  // GitHub's patches are relative to the merge base, not to the base branch's tip.
  const mergeBase = needBase.length > 0 ? await mergeBaseSha(octokit, repo, request.baseSha, request.headSha) : undefined;
  const headBlob = (file: PullFile): BlobRequest => ({ sha: request.headSha, path: file.filename });
  const baseBlob = (file: PullFile): BlobRequest => ({ sha: mergeBase!, path: file.previousFilename ?? file.filename });
  const contents = await fetchBlobs(octokit, repo, [...candidates.map(headBlob), ...needBase.map(baseBlob)], settings.maxFileBytes);

  const scan: FilesScan = { files: new Map(), findings: [], skipped: [], notes: [] };
  let sinceTurn = 0;
  for (const file of candidates) {
    const path = file.filename;
    const head = blobContent(contents, headBlob(file));
    if (head.kind !== 'text') {
      scan.skipped.push({ path, reason: whyNotScannable(head) });
      continue;
    }
    const text = textOf(head);
    let diff: FileDiff;
    try {
      diff = fileDiff(file, text, needsBaseContent(file) ? blobContent(contents, baseBlob(file)) : undefined);
    } catch (error) {
      if (!(error instanceof DiffParseError)) throw error;
      scan.skipped.push({ path, reason: `its patch could not be parsed (${error.message})` });
      continue;
    }
    const result = scanBytes(path, head.bytes, { rules: settings.rules, ruleOptions: settings.ruleOptions, maxFileBytes: settings.maxFileBytes });
    if (result.skipped) {
      scan.skipped.push({ path, reason: result.skipped });
      continue;
    }
    scan.files.set(path, { diff, text });
    scan.findings.push(...result.findings);
    if (result.parseError) scan.notes.push({ path, message: `syntax error at line ${result.parseError.line} (${result.parseError.message}); the rest of the file was scanned` });
    scan.notes.push(...result.notes.map((message) => ({ path, message })));
    scan.notes.push(...result.ruleErrors.map((error) => ({ path, message: `rule \`${error.ruleId}\` failed: ${error.message}` })));
    if (++sinceTurn >= FILES_PER_TURN) {
      sinceTurn = 0;
      await turnEventLoop();
    }
  }
  return scan;
}
