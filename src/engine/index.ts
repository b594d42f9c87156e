export { applyEdits, applyFixes } from './fixes.js';
export { tuneV8ForScans } from './v8-tuning.js';
export type { AnyRule, Rule, Visitors } from './rule.js';
export { RuleContext } from './context.js';
export {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_PARSE_TIMEOUT_MS,
  incompleteParts,
  oversizedResult,
  scanBytes,
  scanSource,
  sizeCapReason,
  type EngineOptions,
  type FileResult,
  type IncompletePart,
  type ParseProblem,
} from './scan-source.js';
export * from './types.js';
