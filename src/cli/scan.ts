import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ruleSettings } from '../config/load.js';
import type { WardenConfig } from '../config/schema.js';
import { emptyDiff, parseGitDiff, type GitFileDiff } from '../diff/patch.js';
import type { AnyRule } from '../engine/rule.js';
import { incompleteParts, scanBytes, sizeCapReason, type EngineOptions } from '../engine/scan-source.js';
import { decodePythonSource } from '../engine/source.js';
import type { Finding, Severity } from '../engine/types.js';
import { applyRuleSettings, meetsThreshold } from '../scan/policy.js';
import type { ScanStats } from '../report/json.js';
import type { AdvisorySource } from '../deps/advisories.js';
import { compareWithBase, comparisonReport, type FileComparison, type ScannedVersion } from '../scan/base-compare.js';
import { scanDependencies } from './dependencies.js';
import { coversDeletedFile, discoverFiles } from './files.js';
import {
  diffAgainstWorkingTree,
  GitError,
  listUntrackedFiles,
  mergeBase,
  readCommittedFile,
  repositoryRoot,
} from './git.js';
import { scanTargets } from './parallel.js';

export interface ScanRequest {
  cwd: string;
  paths: string[];
  config: WardenConfig;
  rules: readonly AnyRule[];
  /** Report only findings new since the merge-base of this revision and HEAD (see `compareWithBase`). */
  diffBase?: string;
  minSeverity: Severity;
  parseTimeoutMs?: number;
  /** Where dependency advisories come from; undefined skips that check (with a note). */
  advisories?: AdvisorySource;
}

export interface ScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  /** Dependency pins were found but not checked: no advisory source. */
  advisoriesSkipped: boolean;
}

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
async function scanBaseVersion(
  changes: Changes,
  path: string,
  shownPath: string,
  engine: EngineOptions,
): Promise<ScannedVersion | { unavailable: string }> {
  const maxBytes = engine.maxFileBytes!;
  const committed = await readCommittedFile(changes.root, changes.commit, path, maxBytes);
  if ('missing' in committed) return { unavailable: 'its base version could not be read' };
  if ('tooLarge' in committed)
    return { unavailable: `its base version is ${sizeCapReason(committed.tooLarge, maxBytes)}` };
  const result = scanBytes(shownPath, committed.bytes, engine);
  if (result.skipped) return { unavailable: `its base version was not scanned (${result.skipped})` };
  const decoded = decodePythonSource(committed.bytes);
  return { findings: result.findings, text: decoded.kind === 'text' ? decoded.text : '' };
}

/** Compares a scanned file with its version at the merge base: what it introduced, and what it fixed. */
async function compareLocalFile(
  changes: Changes,
  cwd: string,
  file: string,
  findings: readonly Finding[],
  engine: EngineOptions,
): Promise<FileComparison> {
  const diff = changes.files.get(file)!;
  const shownPath = displayPath(cwd, file);
  const text = await readFile(file, 'utf8');
  const basePath = diff.previousPath ?? diff.path;
  const base = diff.status === 'added' ? undefined : await scanBaseVersion(changes, basePath, shownPath, engine);
  return compareWithBase({
    path: shownPath,
    ...(diff.previousPath ? { basePath: displayPath(cwd, join(changes.root, diff.previousPath)) } : {}),
    head: { findings, text },
    base,
    diff,
  });
}

/** Lines changed per file, for the dependency check; `all` for files new to the repository. */
function touchedLines(changes: Changes): Map<string, ReadonlySet<number> | 'all'> {
  return new Map(
    [...changes.files].map(([path, diff]) => [path, diff.status === 'added' ? 'all' : diff.touchedLines] as const),
  );
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

export async function scanPaths(scanRequest: ScanRequest): Promise<ScanOutcome> {
  const started = Date.now();
  // Git reports real paths; resolving the working directory once keeps every path comparable.
  const request = { ...scanRequest, cwd: await realpath(scanRequest.cwd) };
  const { config } = request;
  const changes =
    request.diffBase === undefined ? undefined : await changesSinceMergeBase(request.cwd, request.diffBase);
  const discoveryOptions = {
    cwd: request.cwd,
    paths: request.paths,
    include: config.paths.include,
    exclude: config.paths.exclude,
  };
  const discovery = await discoverFiles(discoveryOptions);
  const files = changes ? discovery.files.filter((file) => changes.files.has(file)) : discovery.files;
  const { options: ruleOptions, severities } = ruleSettings(config);
  const engine: EngineOptions = { rules: request.rules, ruleOptions, maxFileBytes: config.max_file_size };
  const threshold = { min_severity: request.minSeverity, min_confidence: config.min_confidence };
  // Per-rule `exclude` globs are relative to the repository root, like `paths`; findings show paths relative to cwd.
  const root = (await repositoryRoot(request.cwd)) ?? request.cwd;
  const repoPath = (finding: Finding) => toPosix(relative(root, resolve(request.cwd, finding.path)));

  const stats: ScanStats = {
    files: 0,
    skipped: discovery.skipped.map((entry) => ({ path: displayPath(request.cwd, entry.path), reason: entry.reason })),
    parseErrors: 0,
    parseErrorFiles: [],
    incomplete: [],
    notes: [],
    durationMs: 0,
  };
  const findings: Finding[] = [];
  const comparisons: FileComparison[] = [];
  const targets = files.map((path) => ({ path, shownPath: displayPath(request.cwd, path) }));
  const results = await scanTargets(targets, {
    rules: request.rules,
    ruleOptions,
    maxFileBytes: config.max_file_size,
    parseTimeoutMs: request.parseTimeoutMs,
    fileBudgetMs: config.time_budget.file_seconds * 1000,
  });
  for (const [index, result] of results.entries()) {
    const { path: file, shownPath } = targets[index];
    if (result.skipped) {
      stats.skipped.push({ path: shownPath, reason: result.skipped });
      continue;
    }
    stats.files++;
    if (result.parseError) {
      stats.parseErrors++;
      stats.parseErrorFiles.push({ path: shownPath, ...result.parseError });
    }
    stats.incomplete.push(...incompleteParts(result));
    stats.notes.push(...result.notes.map((note) => ({ path: shownPath, note })));
    let found = result.findings;
    if (changes) {
      const comparison = await compareLocalFile(changes, request.cwd, file, result.findings, engine);
      comparisons.push(comparison);
      found = comparison.introduced;
    }
    findings.push(...found);
  }
  if (changes)
    for (const deleted of changes.deleted) {
      const file = join(changes.root, deleted.path);
      if (!coversDeletedFile(discoveryOptions, changes.root, file)) continue;
      const shownPath = displayPath(request.cwd, file);
      const base = await scanBaseVersion(changes, deleted.path, shownPath, engine);
      comparisons.push(compareWithBase({ path: shownPath, base, diff: deleted }));
    }
  const counted = (found: Finding[]) =>
    applyRuleSettings(found, config, severities, repoPath).filter((finding) => meetsThreshold(finding, threshold));
  const reported = counted(findings);
  if (changes) stats.baseComparison = comparisonReport(comparisons, counted);
  const dependencies = await scanDependencies({
    cwd: request.cwd,
    paths: request.paths,
    config,
    advisories: request.advisories,
    ...(changes ? { touched: touchedLines(changes) } : {}),
    displayPath: (path) => displayPath(request.cwd, path),
  });
  reported.push(...counted(dependencies.findings));
  stats.notes.push(
    ...dependencies.notes.map((note) => ({ path: note.path, note: `line ${note.line}: ${note.message}` })),
  );
  reported.sort(compareFindings);
  stats.durationMs = Date.now() - started;
  return { findings: reported, stats, advisoriesSkipped: dependencies.advisoriesSkipped };
}
