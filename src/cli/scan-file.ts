import { open, stat } from 'node:fs/promises';
import type { AnyRule } from '../engine/rule.js';
import { sizeCapReason, type FileResult } from '../engine/scan-source.js';
import type { EnginePool } from '../scan/engine-pool.js';
import { describeFileError } from './files.js';

/** What scanning one file needs, apart from the file. */
export interface FileScanSettings {
  rules: readonly AnyRule[];
  ruleOptions: Record<string, Record<string, unknown>>;
  maxFileBytes: number;
  parseTimeoutMs?: number;
  /** Milliseconds one file may take (`time_budget.file_seconds`). */
  fileBudgetMs: number;
  /** Scan on this thread rather than in a worker (a small run). */
  onCallingThread?: boolean;
}

/** A file to scan: where it is, and how reports show it. */
export interface ScanTarget {
  path: string;
  shownPath: string;
}

/** Reads and scans one file; nothing a file contains or lacks can make this throw. */
export async function scanFile(target: ScanTarget, settings: FileScanSettings, pool: EnginePool): Promise<FileResult> {
  const skip = (reason: string): FileResult => ({
    path: target.shownPath,
    findings: [],
    skipped: reason,
    notes: [],
    ruleErrors: [],
  });
  const maxBytes = settings.maxFileBytes;
  let bytes: Buffer;
  try {
    const info = await stat(target.path);
    if (!info.isFile()) return skip('not a regular file');
    // Checked before reading, so a multi-gigabyte file is never loaded.
    if (info.size > maxBytes) return skip(sizeCapReason(info.size, maxBytes));
    const handle = await open(target.path, 'r');
    try {
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    return skip(describeFileError(error));
  }
  return pool.scan({
    path: target.shownPath,
    bytes,
    rules: settings.rules,
    ruleOptions: settings.ruleOptions,
    maxFileBytes: maxBytes,
    ...(settings.parseTimeoutMs !== undefined ? { parseTimeoutMs: settings.parseTimeoutMs } : {}),
    budgetMs: settings.fileBudgetMs,
    onCallingThread: settings.onCallingThread === true,
  });
}
