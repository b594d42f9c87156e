import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ruleSettings } from '../config/load.js';
import type { WardenConfig } from '../config/schema.js';
import { parseGitDiff } from '../diff/patch.js';
import type { AnyRule } from '../engine/rule.js';
import { incompleteParts } from '../engine/scan-source.js';
import { isInTouchedSlice } from '../engine/taint/slice.js';
import { levelRank, type Finding, type Severity } from '../engine/types.js';
import type { ScanStats } from '../report/json.js';
import type { AdvisorySource } from '../deps/advisories.js';
import { scanDependencies } from './dependencies.js';
import { discoverFiles } from './files.js';
import { diffAgainstWorkingTree, GitError, listUntrackedFiles, mergeBase, repositoryRoot } from './git.js';
import { scanTargets } from './parallel.js';

export interface ScanRequest {
  cwd: string;
  paths: string[];
  config: WardenConfig;
  rules: readonly AnyRule[];
  /** Report only findings on lines changed since the merge-base of this revision and HEAD. */
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

/** Lines changed per file (absolute path); `all` for files new to the repository. */
type TouchedLines = Map<string, ReadonlySet<number> | 'all'>;

async function touchedSinceMergeBase(cwd: string, base: string): Promise<TouchedLines> {
  const root = await repositoryRoot(cwd);
  if (!root) throw new GitError('--diff needs a git repository, and the working directory is not in one');
  const commit = await mergeBase(root, base);
  const touched: TouchedLines = new Map();
  for (const file of parseGitDiff(await diffAgainstWorkingTree(root, commit))) {
    if (file.status !== 'removed') touched.set(join(root, file.path), file.touchedLines);
  }
  for (const path of await listUntrackedFiles(root)) touched.set(join(root, path), 'all');
  return touched;
}

function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  // Files outside the working directory are clearer as absolute paths than as `../../…`.
  const shown = rel === '' || isAbsolute(rel) || rel.startsWith('..') ? path : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
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
  const touched =
    request.diffBase === undefined ? undefined : await touchedSinceMergeBase(request.cwd, request.diffBase);
  const discovery = await discoverFiles({
    cwd: request.cwd,
    paths: request.paths,
    include: config.paths.include,
    exclude: config.paths.exclude,
  });
  const files = touched ? discovery.files.filter((file) => touched.has(file)) : discovery.files;
  const { options: ruleOptions, severities } = ruleSettings(config);

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
  const targets = files.map((path) => ({ path, shownPath: displayPath(request.cwd, path) }));
  const results = await scanTargets(targets, {
    rules: request.rules,
    ruleOptions,
    maxFileBytes: config.max_file_size,
    parseTimeoutMs: request.parseTimeoutMs,
    fileBudgetMs: config.time_budget.file_seconds * 1000,
  });
  for (const [index, result] of results.entries()) {
    const { path: file, shownPath } = targets[index]!;
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
    const lines = touched?.get(file);
    for (const finding of result.findings) {
      const severity = severities[finding.ruleId];
      if (severity) finding.severity = severity;
      if (
        levelRank(finding.severity) < levelRank(request.minSeverity) ||
        levelRank(finding.confidence) < levelRank(config.min_confidence)
      )
        continue;
      if (lines !== undefined && lines !== 'all' && !isInTouchedSlice(finding, lines)) continue;
      findings.push(finding);
    }
  }
  const dependencies = await scanDependencies({
    cwd: request.cwd,
    paths: request.paths,
    config,
    advisories: request.advisories,
    ...(touched ? { touched } : {}),
    displayPath: (path) => displayPath(request.cwd, path),
  });
  for (const finding of dependencies.findings) {
    if (
      levelRank(finding.severity) >= levelRank(request.minSeverity) &&
      levelRank(finding.confidence) >= levelRank(config.min_confidence)
    )
      findings.push(finding);
  }
  stats.notes.push(
    ...dependencies.notes.map((note) => ({ path: note.path, note: `line ${note.line}: ${note.message}` })),
  );
  findings.sort(compareFindings);
  stats.durationMs = Date.now() - started;
  return { findings, stats, advisoriesSkipped: dependencies.advisoriesSkipped };
}
