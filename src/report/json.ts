import type { Finding } from '../engine/types.js';
import type { BaseComparisonReport } from './base-comparison.js';

/** A file that was not scanned, and why. Paths are as the user sees them (relative to the working directory). */
export interface SkippedEntry {
  path: string;
  reason: string;
}

export interface ParseErrorEntry {
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface ScanStats {
  /** Files scanned (syntax errors included); skipped files are not counted. */
  files: number;
  skipped: SkippedEntry[];
  /** How many scanned files had syntax errors; what parsed was still scanned. */
  parseErrors: number;
  /** The first syntax error of each such file. */
  parseErrorFiles: ParseErrorEntry[];
  /** Rules that failed on a file; the file's other findings still count. */
  ruleErrors: { path: string; ruleId: string; message: string }[];
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
