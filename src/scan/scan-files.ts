import {
  baseTextFromPatch,
  DiffParseError,
  diffTexts,
  emptyDiff,
  parseFilePatch,
  type FileDiff,
} from '../diff/patch.js';
import type { ManifestFile } from '../deps/check.js';
import { incompleteParts, type IncompletePart } from '../engine/scan-source.js';
import { decodePythonSource } from '../engine/source.js';
import type { Finding } from '../engine/types.js';
import type { GitHubClient, RepoRef } from '../github/client.js';
import { blobContent, fetchBlobs, type BlobContent, type BlobRequest } from '../github/contents.js';
import { mergeBaseSha, type PullFile } from '../github/pull-files.js';
import type { DependencySettings } from '../deps/settings.js';
import { compareWithBase, type FileComparison, type ScannedVersion } from './base-compare.js';
import { checkPullManifests } from './dependencies.js';
import { scanBaseVersion, scanOnPool, type EngineSettings } from './file-scan.js';
import type { ScannedFile } from './review-plan.js';
import type { SkippedFile } from '../report/json.js';
import type { FileNote } from '../report/pull-request.js';
import { isTemplatePath } from '../templates/unescaped-output.js';
import type { ScanRequest } from './types.js';

/** The PR's dependency manifests and how the config wants them checked. */
export interface ManifestSelection {
  files: readonly PullFile[];
  settings: DependencySettings;
}

export interface FilesScan {
  /** Scanned files by path: Python files, templates and dependency manifests. */
  files: Map<string, ScannedFile>;
  /** How many of `files` are Python files, templates and dependency manifests. */
  pythonFiles: number;
  templates: number;
  manifests: number;
  /** Every finding in the scanned Python files, touched or not, suppressed or not, and on the manifests' touched entries. */
  findings: Finding[];
  /** The findings this pull request introduced (suppressed or not), with `introducedBy`, and the manifests' findings. */
  introduced: Finding[];
  /** How each changed Python file was compared with its base, and what the comparison found fixed. */
  comparisons: FileComparison[];
  skipped: SkippedFile[];
  notes: FileNote[];
  /** Files not fully scanned (a rule threw, a deadline passed): the scan cannot pass. */
  incomplete: IncompletePart[];
  /** The dependency rules that checked the manifests in `files`. */
  dependencyRulesRun: string[];
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

const encoder = new TextEncoder();

function textOf(content: BlobContent): string {
  if (content.kind !== 'text') return '';
  const decoded = decodePythonSource(content.bytes);
  return decoded.kind === 'text' ? decoded.text : '';
}

/** GitHub left the patch out of a file that has changed lines: the diff must be recomputed here. */
function needsLocalDiff(file: PullFile): boolean {
  return file.patch === undefined && file.changes > 0;
}

/**
 * The base version has to be read at the merge base only when GitHub left the patch out of a file
 * that existed there; otherwise it is rebuilt from the head and the patch (see `baseTextFromPatch`).
 */
function needsBaseContent(file: PullFile): boolean {
  return needsLocalDiff(file) && file.status !== 'added';
}

/** Why a base version cannot be compared with, for the summary's list of touched-lines fallbacks. */
function whyNoBase(content: Exclude<BlobContent, { kind: 'text' }>): string {
  switch (content.kind) {
    case 'binary':
      return 'its base version is binary';
    case 'too-large':
      return `its base version is larger than \`max_file_size\` (${content.byteSize} bytes)`;
    case 'missing':
      return 'its base version could not be read';
  }
}

/** The lines a file's diff touches: from GitHub's patch, or recomputed when GitHub left it out. */
function fileDiff(file: PullFile, headText: string, baseContent: BlobContent | undefined): FileDiff {
  if (file.patch !== undefined) return parseFilePatch(file.patch);
  if (!needsLocalDiff(file)) return emptyDiff();
  return diffTexts(baseContent ? textOf(baseContent) : '', headText);
}

/**
 * A changed file's head content and diff, or why it cannot be scanned: `unscanned` when that must
 * not let a Python file pass unseen (over `max_file_size`, or a patch that cannot be read), and
 * `skipped` when it cannot matter (a binary file, which Python refuses to run).
 */
type ChangedFile = { bytes: Uint8Array; text: string; diff: FileDiff } | { skipped: string } | { unscanned: string };

/**
 * Fetches the contents of the Python candidates and the manifests in the same queries (in bulk,
 * at the head SHA, through the base repository), works out the touched lines of each and runs
 * the engine on each whole Python file, so data flows that start outside the diff are still
 * seen. Each Python file's base version is scanned too and compared with the head (see
 * `compareWithBase`); a removed file is scanned in its base version only, for what it fixes.
 * Then the manifests' touched entries are checked.
 */
export async function scanPullFiles(
  octokit: GitHubClient,
  request: ScanRequest,
  candidates: readonly PullFile[],
  settings: EngineSettings,
  manifests?: ManifestSelection,
): Promise<FilesScan> {
  const repo: RepoRef = request.repo;
  const changed = [...candidates, ...(manifests?.files ?? [])];
  const needBase = changed.filter(needsBaseContent);
  // GitHub's patches are relative to the merge base, not to the base branch's tip.
  const mergeBase =
    needBase.length > 0 ? await mergeBaseSha(octokit, repo, request.baseSha, request.headSha) : undefined;
  const headBlob = (file: PullFile): BlobRequest => ({ sha: request.headSha, path: file.filename });
  const baseBlob = (file: PullFile): BlobRequest => ({ sha: mergeBase!, path: file.previousFilename ?? file.filename });
  const contents = await fetchBlobs(
    octokit,
    repo,
    [...changed.filter((file) => file.status !== 'removed').map(headBlob), ...needBase.map(baseBlob)],
    settings.maxFileBytes,
  );
  const baseContent = (file: PullFile) => (needsBaseContent(file) ? blobContent(contents, baseBlob(file)) : undefined);
  const read = (file: PullFile): ChangedFile => {
    const head = blobContent(contents, headBlob(file));
    if (head.kind === 'too-large') return { unscanned: whyNotScannable(head) };
    if (head.kind !== 'text') return { skipped: whyNotScannable(head) };
    const text = textOf(head);
    try {
      return { bytes: head.bytes, text, diff: fileDiff(file, text, baseContent(file)) };
    } catch (error) {
      if (!(error instanceof DiffParseError)) throw error;
      return { unscanned: `its patch could not be parsed (${error.message})` };
    }
  };
  // Every file is queued at once; the pool's threads take them in turn, each under its own deadline.
  const scanInPool = (path: string, bytes: Uint8Array) => scanOnPool(settings, path, bytes);
  /** The base version, scanned under the head path so that a rename keeps every fingerprint. */
  const scanBase = async (
    file: PullFile,
    headText: string,
  ): Promise<ScannedVersion | { unavailable: string } | undefined> => {
    if (file.status === 'added') return undefined;
    let bytes: Uint8Array;
    const fetched = baseContent(file);
    if (fetched && fetched.kind !== 'text') return { unavailable: whyNoBase(fetched) };
    if (fetched) bytes = fetched.bytes;
    else {
      const rebuilt = file.patch === undefined ? headText : baseTextFromPatch(headText, file.patch);
      if (rebuilt === undefined) return { unavailable: 'its base version could not be rebuilt from the patch' };
      bytes = encoder.encode(rebuilt);
    }
    return scanBaseVersion(settings, file.filename, bytes);
  };

  const scan: FilesScan = {
    files: new Map(),
    pythonFiles: 0,
    templates: 0,
    manifests: 0,
    findings: [],
    introduced: [],
    comparisons: [],
    skipped: [],
    notes: [],
    incomplete: [],
    dependencyRulesRun: [],
  };
  const readable: { file: PullFile; path: string; text: string; diff: FileDiff; bytes: Uint8Array }[] = [];
  const removed: PullFile[] = [];
  for (const file of candidates) {
    if (file.status === 'removed') {
      removed.push(file);
      continue;
    }
    const changedFile = read(file);
    if ('skipped' in changedFile) scan.skipped.push({ path: file.filename, reason: changedFile.skipped });
    else if ('unscanned' in changedFile)
      scan.incomplete.push({ path: file.filename, reason: `${changedFile.unscanned}; nothing was scanned` });
    else readable.push({ file, path: file.filename, ...changedFile });
  }
  const [results, bases, removedBases] = await Promise.all([
    Promise.all(readable.map(({ path, bytes }) => scanInPool(path, bytes))),
    Promise.all(readable.map(({ file, text }) => scanBase(file, text))),
    Promise.all(removed.map((file) => scanBase(file, ''))),
  ]);
  removed.forEach((file, index) =>
    scan.comparisons.push(compareWithBase({ path: file.filename, base: removedBases[index], diff: emptyDiff() })),
  );
  for (const [index, result] of results.entries()) {
    const { file, path, text, diff } = readable[index];
    if (result.skipped) {
      scan.skipped.push({ path, reason: result.skipped });
      continue;
    }
    scan.files.set(path, { diff, text });
    if (isTemplatePath(path)) scan.templates++;
    else scan.pythonFiles++;
    scan.findings.push(...result.findings);
    const comparison = compareWithBase({
      path,
      ...(file.previousFilename ? { basePath: file.previousFilename } : {}),
      head: { findings: result.findings, text },
      base: bases[index],
      diff,
    });
    scan.comparisons.push(comparison);
    scan.introduced.push(...comparison.introduced);
    if (result.parseError)
      scan.notes.push({
        path,
        message: `syntax error at line ${result.parseError.line} (${result.parseError.message}); the rest of the file was scanned`,
      });
    scan.notes.push(...result.notes.map((message) => ({ path, message })));
    scan.incomplete.push(...incompleteParts(result));
  }
  if (manifests) await checkChangedManifests(octokit, manifests, read, scan);
  return scan;
}

/** Checks the manifests that could be read; only a PR that touches one costs advisory lookups. */
async function checkChangedManifests(
  octokit: GitHubClient,
  manifests: ManifestSelection,
  read: (file: PullFile) => ChangedFile,
  scan: FilesScan,
): Promise<void> {
  const readable: ManifestFile[] = [];
  for (const file of manifests.files) {
    const changedFile = read(file);
    if (!('text' in changedFile)) {
      const reason = 'skipped' in changedFile ? changedFile.skipped : changedFile.unscanned;
      scan.skipped.push({ path: file.filename, reason });
      continue;
    }
    scan.files.set(file.filename, { diff: changedFile.diff, text: changedFile.text });
    readable.push({ path: file.filename, text: changedFile.text, touchedLines: changedFile.diff.touchedLines });
  }
  scan.manifests = readable.length;
  if (readable.length === 0) return;
  const dependencies = await checkPullManifests(octokit, readable, manifests.settings);
  scan.findings.push(...dependencies.findings);
  scan.introduced.push(...dependencies.findings);
  scan.notes.push(...dependencies.notes);
  scan.dependencyRulesRun = dependencies.rulesRun;
}
