import { globMatcher } from '../config/glob.js';
import { DEFAULT_FAIL_ON } from '../config/defaults.js';
import { ruleSettings } from '../config/rule-settings.js';
import type { WardenConfig } from '../config/schema.js';
import { CONFIDENCES, levelRank, SEVERITIES, type Confidence, type Finding, type Severity } from '../engine/types.js';
import type { CheckConclusion } from '../github/check-runs.js';

export interface Threshold {
  min_severity: Severity;
  min_confidence: Confidence;
}

export type FailOn = WardenConfig['fail_on'];

export function meetsThreshold(finding: Finding, threshold: Threshold): boolean {
  return (
    levelRank(finding.severity) >= levelRank(threshold.min_severity) &&
    levelRank(finding.confidence) >= levelRank(threshold.min_confidence)
  );
}

/** Applies the config's per-rule severity overrides. */
export function withSeverityOverrides(
  findings: readonly Finding[],
  severities: Readonly<Record<string, Severity>>,
): Finding[] {
  return findings.map((finding) => {
    const severity = severities[finding.ruleId];
    return severity && severity !== finding.severity ? { ...finding, severity } : finding;
  });
}

/**
 * The config's per-rule `exclude` globs, set on a rule id or a category, as one test: whether a
 * finding's rule stays silent on a path relative to the repository root.
 */
export function ruleExclusions(config: WardenConfig): (finding: Finding, repoPath: string) => boolean {
  const matchers = new Map<string, (path: string) => boolean>();
  for (const [key, setting] of Object.entries(config.rules)) {
    if (typeof setting === 'object' && setting.exclude.length > 0) matchers.set(key, globMatcher(setting.exclude));
  }
  if (matchers.size === 0) return () => false;
  return (finding, repoPath) =>
    [finding.ruleId, finding.category].some((key) => matchers.get(key)?.(repoPath) ?? false);
}

export interface PolicyOptions {
  /** The severity floor, when the front-end overrides the config's `min_severity` (`--min-severity`). */
  minSeverity?: Severity;
  /** A finding's path relative to the repository root (the App's paths already are). */
  repoPath?: (finding: Finding) => string;
}

/**
 * What every front-end reports of the engine's findings: findings of a rule on a path its
 * `exclude` names are dropped, the rule's severity override is applied, then findings below
 * `min_severity` or `min_confidence` are dropped.
 */
export function applyPolicy(
  findings: readonly Finding[],
  config: WardenConfig,
  options: PolicyOptions = {},
): Finding[] {
  const excluded = ruleExclusions(config);
  const repoPath = options.repoPath ?? ((finding: Finding) => finding.path);
  const threshold = { min_severity: options.minSeverity ?? config.min_severity, min_confidence: config.min_confidence };
  return withSeverityOverrides(
    findings.filter((finding) => !excluded(finding, repoPath(finding))),
    ruleSettings(config).severities,
  ).filter((finding) => meetsThreshold(finding, threshold));
}

/** Whether a finding reaches `fail_on` (both severity and confidence): the failed check run, the CLI's exit 1. */
export function failsGate(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === false) return false;
  const threshold = { min_severity: failOn.severity, min_confidence: failOn.confidence };
  return findings.some((finding) => meetsThreshold(finding, threshold));
}

/**
 * Failure when a finding reaches `fail_on` (both severity and confidence), neutral when there are
 * only lesser findings, success when clean. `fail_on: false` never fails. An incomplete scan is
 * never a success: what went unscanned may hide exactly what would have failed it.
 */
export function checkConclusion(findings: readonly Finding[], failOn: FailOn, incomplete = false): CheckConclusion {
  if (findings.length === 0) return incomplete ? 'neutral' : 'success';
  return failsGate(findings, failOn) ? 'failure' : 'neutral';
}

/**
 * `SEVERITY[:CONFIDENCE]`, as `--fail-on` takes it (`high`, `medium:high`). A missing confidence
 * takes the config's default for `fail_on.confidence`, so the flag and the file mean the same.
 */
export function parseFailOn(spec: string): FailOn {
  const [severity, confidence, ...rest] = spec.trim().toLowerCase().split(':');
  const isLevel = (value: string | undefined, levels: readonly string[]) =>
    value !== undefined && levels.includes(value);
  if (
    rest.length > 0 ||
    !isLevel(severity, SEVERITIES) ||
    (confidence !== undefined && !isLevel(confidence, CONFIDENCES))
  )
    throw new RangeError(
      `expected SEVERITY[:CONFIDENCE], each one of ${SEVERITIES.join(', ')} (e.g. \`high\` or \`medium:high\`), not \`${spec}\``,
    );
  return {
    severity: severity as Severity,
    confidence: (confidence as Confidence | undefined) ?? DEFAULT_FAIL_ON.confidence,
  };
}
