import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { WardenConfig } from '../config/schema.js';
import type { AdvisorySource } from '../deps/advisories.js';
import type { ManifestFile } from '../deps/check.js';
import { dependencySettings } from '../deps/settings.js';
import { emptyDiff, parseGitDiff, type GitFileDiff } from '../diff/patch.js';
import type { AnyRule } from '../engine/rule.js';
import { incompleteParts, oversizedResult, sizeCapReason, type FileResult } from '../engine/scan-source.js';
import type { Finding, Severity } from '../engine/types.js';
import type { ScanStats } from '../report/json.js';
import type { FileNote } from '../report/pull-request.js';
import { templateChecksEnabled } from '../templates/settings.js';
import { compareWithBase, comparisonReport, type FileComparison, type ScannedVersion } from './base-compare.js';
import { checkManifestFiles } from './dependencies.js';
import { threadsPayFor } from './engine-pool.js';
import { engineSettings, scanBaseVersion, scanOnPool, type EngineSettings } from './file-scan.js';
import {
  diffAgainstWorkingTree,
  GitError,
  listUntrackedFiles,
  mergeBase,
  readCommittedFile,
  repositoryRoot,
} from './git.js';
import {
  coversDeletedFile,
  describeFileError,
  discoverFiles,
  readLocalFile,
  type DiscoveryOptions,
} from './local-files.js';
import { applyPolicy } from './policy.js';
import { pathFilter } from './select-files.js';

/** A scan of files on disk: the paths named on the command line, or what changed since a git revision. */
export interface LocalScanRequest {
  cwd: string;
  paths: string[];
  config: WardenConfig;
  rules: readonly AnyRule[];
  /** Report only findings new since the merge-base of this revision and HEAD (see `compareWithBase`). */
  diffBase?: string;
  minSeverity: Severity;
  /** Where dependency advisories come from; undefined skips that check (with a note). */
  advisories?: AdvisorySource;
}

export interface LocalScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  /** Dependency pins were found but not checked: no advisory source. */
  advisoriesSkipped: boolean;
}

/** Files read ahead of the engine: enough to keep both worker threads busy without holding the repository in memory. */
const FILES_IN_FLIGHT = 8;

/** What changed since the merge base: the diff of each changed file by absolute path, and the deleted files. */
interface Changes {
  root: string;
  commit: string;
  /** Untracked files have no base version: an `added` entry with no hunks. */
  files: Map<string, GitFileDiff>;
  deleted: GitFileDiff[];
}

async function changesSinceMergeBase(cwd: string, base: string): Promise<Changes> {
  const root = await repositoryRoot(cwd);
  if (!root) throw new GitError('--diff needs a git repository, and the working directory is not in one');
  const commit = await mergeBase(root, base);
  const changes: Changes = { root, commit, files: new Map(), deleted: [] };
  for (const file of parseGitDiff(await diffAgainstWorkingTree(root, commit))) {
    if (file.status === 'removed') changes.deleted.push(file);
    else changes.files.set(join(root, file.path), file);
  }
  for (const path of await listUntrackedFiles(root))
    changes.files.set(join(root, path), { path, status: 'added', ...emptyDiff() });
  return changes;
}

/** A file's version at the merge base, scanned under `shownPath` (the head's) so fingerprints match across renames. */
async function scanCommittedVersion(
  changes: Changes,
  path: string,
  shownPath: string,
  settings: EngineSettings,
): Promise<ScannedVersion | { unavailable: string }> {
  const committed = await readCommittedFile(changes.root, changes.commit, path, settings.maxFileBytes);
  if ('missing' in committed) return { unavailable: 'its base version could not be read' };
  if ('tooLarge' in committed)
    return { unavailable: `its base version is ${sizeCapReason(committed.tooLarge, settings.maxFileBytes)}` };
  return scanBaseVersion(settings, shownPath, committed.bytes);
}

/** What every file of one local scan shares. */
interface LocalScan {
  settings: EngineSettings;
  /** With `--diff`: what changed since the merge base. */
  changes?: Changes;
  /** How reports show an absolute path. */
  show: (path: string) => string;
}

/** A file to scan: where it is, and how reports show it. */
interface ScanTarget {
  path: string;
  shownPath: string;
}

/** Compares a scanned file with its version at the merge base: what it introduced, and what it fixed. */
async function compareLocalFile(
  { settings, show }: LocalScan,
  changes: Changes,
  target: ScanTarget,
  findings: readonly Finding[],
): Promise<FileComparison> {
  const diff = changes.files.get(target.path)!;
  const text = await readFile(target.path, 'utf8');
  const basePath = diff.previousPath ?? diff.path;
  const base =
    diff.status === 'added' ? undefined : await scanCommittedVersion(changes, basePath, target.shownPath, settings);
  return compareWithBase({
    path: target.shownPath,
    ...(diff.previousPath ? { basePath: show(join(changes.root, diff.previousPath)) } : {}),
    head: { findings, text },
    base,
    diff,
  });
}

interface ScannedTarget {
  result: FileResult;
  /** With `--diff`: how the file compares with its base version. */
  comparison?: FileComparison;
}

/**
 * Reads and scans every target on the engine pool, and compares each with its base
 * version when there are `changes`; results keep the targets' order.
 */
async function scanTargets(scan: LocalScan, targets: readonly ScanTarget[]): Promise<ScannedTarget[]> {
  const { settings, changes } = scan;
  const scanned = new Array<ScannedTarget>(targets.length);
  let next = 0;
  const lane = async () => {
    while (next < targets.length) {
      const index = next++;
      const target = targets[index];
      const read = await readLocalFile(target.path, settings.maxFileBytes);
      if (!('bytes' in read)) {
        scanned[index] = {
          result:
            'tooLarge' in read
              ? oversizedResult(target.shownPath, read.tooLarge, settings.maxFileBytes)
              : { path: target.shownPath, findings: [], skipped: read.skipped, notes: [], ruleErrors: [] },
        };
        continue;
      }
      const result = await scanOnPool(settings, target.shownPath, read.bytes);
      scanned[index] =
        changes && !result.skipped
          ? { result, comparison: await compareLocalFile(scan, changes, target, result.findings) }
          : { result };
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, targets.length) }, lane));
  return scanned;
}

/** Lines changed per file, for the dependency check; `all` for files new to the repository. */
function touchedLines(changes: Changes): Map<string, ReadonlySet<number> | 'all'> {
  return new Map(
    [...changes.files].map(([path, diff]) => [path, diff.status === 'added' ? 'all' : diff.touchedLines] as const),
  );
}

/** Reads the manifests (their touched lines only, with `--diff`); one that cannot be read gets a note. */
async function readManifests(
  paths: readonly string[],
  touched: Map<string, ReadonlySet<number> | 'all'> | undefined,
  show: (path: string) => string,
): Promise<{ files: ManifestFile[]; unreadable: FileNote[] }> {
  const files: ManifestFile[] = [];
  const unreadable: FileNote[] = [];
  for (const path of paths) {
    const lines = touched ? touched.get(path) : 'all';
    if (lines === undefined) continue;
    try {
      files.push({
        path: show(path),
        text: await readFile(path, 'utf8'),
        ...(lines === 'all' ? {} : { touchedLines: lines }),
      });
    } catch (error) {
      unreadable.push({ path: show(path), message: `line 1: cannot read the manifest: ${describeFileError(error)}` });
    }
  }
  return { files, unreadable };
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  // Files outside the working directory are clearer as absolute paths than as `../../…`.
  return toPosix(rel === '' || isAbsolute(rel) || rel.startsWith('..') ? path : rel);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function compareFindings(a: Finding, b: Finding): number {
  return a.path < b.path
    ? -1
    : a.path > b.path
      ? 1
      : a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}

/** Adds one scanned file to the statistics; its findings, or those it introduced with `--diff`, are returned. */
function tally(stats: ScanStats, shownPath: string, { result, comparison }: ScannedTarget): readonly Finding[] {
  if (result.skipped) {
    stats.skipped.push({ path: shownPath, reason: result.skipped });
    return [];
  }
  stats.files++;
  if (result.parseError) {
    stats.parseErrors++;
    stats.parseErrorFiles.push({ path: shownPath, ...result.parseError });
  }
  stats.incomplete.push(...incompleteParts(result));
  stats.notes.push(...result.notes.map((note) => ({ path: shownPath, note })));
  return comparison ? comparison.introduced : result.findings;
}

/**
 * The local front-end's scan: discovers files under `paths` (or those changed since `diffBase`)
 * by the config's globs, scans them on the engine pool, compares them with their base versions
 * with `diffBase`, applies the policy and checks the dependency manifests, all as the pull
 * request pipeline does.
 */
export async function scanPaths(scanRequest: LocalScanRequest): Promise<LocalScanOutcome> {
  const started = Date.now();
  // Git reports real paths; resolving the working directory once keeps every path comparable.
  const request = { ...scanRequest, cwd: await realpath(scanRequest.cwd) };
  const { config } = request;
  const show = (path: string) => displayPath(request.cwd, path);
  const changes =
    request.diffBase === undefined ? undefined : await changesSinceMergeBase(request.cwd, request.diffBase);
  const dependencies = dependencySettings(config);
  const discoveryOptions: DiscoveryOptions = {
    cwd: request.cwd,
    paths: request.paths,
    filter: pathFilter(config.paths, {
      manifests: dependencies !== undefined,
      templates: templateChecksEnabled(config),
    }),
  };
  const discovery = await discoverFiles(discoveryOptions);
  // Templates go through the same scan and base comparison as Python files (`scanOnPool` tells them apart).
  const scannable = [...discovery.python, ...discovery.templates];
  const files = changes ? scannable.filter((file) => changes.files.has(file)) : scannable;
  const threaded = await threadsPayFor(files, (path) =>
    stat(path).then(
      (info) => info.size,
      () => 0,
    ),
  );
  const settings = { ...engineSettings(config, request.rules), onCallingThread: !threaded };
  // Per-rule `exclude` globs are relative to the repository root, like `paths`; findings show paths relative to cwd.
  const root = (await repositoryRoot(request.cwd)) ?? request.cwd;
  const repoPath = (finding: Finding) => toPosix(relative(root, resolve(request.cwd, finding.path)));

  const stats: ScanStats = {
    files: 0,
    skipped: discovery.skipped.map((entry) => ({ path: show(entry.path), reason: entry.reason })),
    parseErrors: 0,
    parseErrorFiles: [],
    incomplete: [],
    notes: [],
    durationMs: 0,
  };
  const targets = files.map((path) => ({ path, shownPath: show(path) }));
  const scanned = await scanTargets({ settings, show, ...(changes ? { changes } : {}) }, targets);
  const findings = scanned.flatMap((file, index) => tally(stats, targets[index].shownPath, file));
  const counted = (found: readonly Finding[]) =>
    applyPolicy(found, config, { minSeverity: request.minSeverity, repoPath });
  const reported = counted(findings);
  if (changes) {
    const comparisons = scanned.flatMap((file) => (file.comparison ? [file.comparison] : []));
    for (const deleted of changes.deleted) {
      const file = join(changes.root, deleted.path);
      if (!coversDeletedFile(discoveryOptions, changes.root, file)) continue;
      const base = await scanCommittedVersion(changes, deleted.path, show(file), settings);
      comparisons.push(compareWithBase({ path: show(file), base, diff: deleted }));
    }
    stats.baseComparison = comparisonReport(comparisons, counted);
  }
  let advisoriesSkipped = false;
  if (dependencies) {
    const manifests = await readManifests(discovery.manifests, changes && touchedLines(changes), show);
    const checked = await checkManifestFiles(manifests.files, dependencies, request.advisories);
    reported.push(...counted(checked.findings));
    stats.notes.push(
      ...[...manifests.unreadable, ...checked.notes].map(({ path, message }) => ({ path, note: message })),
    );
    advisoriesSkipped = checked.advisoriesSkipped;
  }
  reported.sort(compareFindings);
  stats.durationMs = Date.now() - started;
  return { findings: reported, stats, advisoriesSkipped };
}
