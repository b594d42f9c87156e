import type { IncompletePart } from '../engine/scan-source.js';
import type { Finding } from '../engine/types.js';
import type { BaseComparisonReport } from './base-comparison.js';

/** A file left out of a scan, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ParseErrorEntry {
  path: string;
  line: number;
  column: number;
  message: string;
}

/** One line saying why a result is incomplete, for a summary, a title or standard error. */
export function describeIncomplete(entries: readonly IncompletePart[]): string {
  const files = new Set(entries.map((entry) => entry.path)).size;
  return `${files} ${files === 1 ? 'file was' : 'files were'} not fully scanned, so the result is incomplete`;
}

export interface ScanStats {
  /** Files scanned (syntax errors included); skipped files are not counted. */
  files: number;
  /** Paths as the user sees them (relative to the working directory). */
  skipped: SkippedFile[];
  /** How many scanned files had syntax errors; what parsed was still scanned. */
  parseErrors: number;
  /** The first syntax error of each such file. */
  parseErrorFiles: ParseErrorEntry[];
  /**
   * Files not fully scanned: a rule that threw (it resumed at the next statement; its other
   * findings still count), or a scan cut short by its time budget. Any entry makes the result
   * incomplete, which never passes.
   */
  incomplete: IncompletePart[];
  /** Things worth knowing about a file, such as bytes that were not valid UTF-8. */
  notes: { path: string; note: string }[];
  /** Findings hidden because `--baseline` accepted them (absent without a baseline). */
  baselined?: number;
  durationMs: number;
  /** With `--diff`: how each changed file was compared with the merge base, and what the change fixed. */
  baseComparison?: BaseComparisonReport;
}

/** Everything one scan produced; every renderer reads this. */
export interface ScanReport {
  /** The Warden version that produced the report. */
  version: string;
  /** Sorted by path, line and column. Suppressed findings are included and carry `suppressed`. */
  findings: Finding[];
  stats: ScanStats;
}

export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
