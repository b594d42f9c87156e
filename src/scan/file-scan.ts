import { ruleSettings } from '../config/rule-settings.js';
import type { WardenConfig } from '../config/schema.js';
import type { AnyRule } from '../engine/rule.js';
import type { FileResult } from '../engine/scan-source.js';
import { decodePythonSource } from '../engine/source.js';
import { isTemplatePath, scanTemplateFile } from '../templates/unescaped-output.js';
import type { ScannedVersion } from './base-compare.js';
import { sharedEnginePool } from './engine-pool.js';

/** How the engine runs on every file of one scan: the same for a pull request and a local scan. */
export interface EngineSettings {
  rules: readonly AnyRule[];
  ruleOptions: Record<string, Record<string, unknown>>;
  maxFileBytes: number;
  /** Milliseconds one file may take (`time_budget.file_seconds`). */
  fileBudgetMs: number;
  /** When every file must be done (a `Date.now()` timestamp): a pull request's `time_budget.pull_request_seconds`. */
  scanDeadline?: number;
  /** Scan on the calling thread rather than in a worker: a local run too small for threads to pay (`threadsPayFor`). */
  onCallingThread?: boolean;
}

export function engineSettings(config: WardenConfig, rules: readonly AnyRule[], scanDeadline?: number): EngineSettings {
  return {
    rules,
    ruleOptions: ruleSettings(config).options,
    maxFileBytes: config.max_file_size,
    fileBudgetMs: config.time_budget.file_seconds * 1000,
    ...(scanDeadline !== undefined ? { scanDeadline } : {}),
  };
}

/**
 * Scans one version of a file on the process's engine threads; never rejects. A template is read
 * by the template checker on the calling thread instead: one linear pass costs less than a thread hop.
 */
export function scanOnPool(settings: EngineSettings, path: string, bytes: Uint8Array): Promise<FileResult> {
  if (isTemplatePath(path)) return Promise.resolve(scanTemplateFile(path, bytes, settings.maxFileBytes));
  return sharedEnginePool().scan({
    path,
    bytes,
    rules: settings.rules,
    ruleOptions: settings.ruleOptions,
    maxFileBytes: settings.maxFileBytes,
    budgetMs: settings.fileBudgetMs,
    ...(settings.scanDeadline !== undefined ? { scanDeadline: settings.scanDeadline } : {}),
    onCallingThread: settings.onCallingThread === true,
  });
}

/**
 * A file's base version, scanned under the head's path so that a rename keeps every fingerprint,
 * or why it cannot be compared with (the file then falls back to touched lines).
 */
export async function scanBaseVersion(
  settings: EngineSettings,
  path: string,
  bytes: Uint8Array,
): Promise<ScannedVersion | { unavailable: string }> {
  const result = await scanOnPool(settings, path, bytes);
  if (result.skipped) return { unavailable: `its base version was not scanned (${result.skipped})` };
  // A base finding missed would make a head finding look new, never the other way round; still, say so.
  if (result.incomplete) return { unavailable: `its base version was not fully scanned (${result.incomplete})` };
  const decoded = decodePythonSource(bytes);
  return { findings: result.findings, text: decoded.kind === 'text' ? decoded.text : '' };
}
