import type { WardenConfig } from '../config/schema.js';
import { levelRank, type Confidence, type Finding, type Severity } from '../engine/types.js';
import type { CheckConclusion } from '../github/check-runs.js';

export interface Threshold {
  min_severity: Severity;
  min_confidence: Confidence;
}

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
 * Failure when a finding reaches `fail_on` (both severity and confidence), neutral when there are
 * only lesser findings, success when clean. `fail_on: false` never fails. An incomplete scan is
 * never a success: what went unscanned may hide exactly what would have failed it.
 */
export function checkConclusion(
  findings: readonly Finding[],
  failOn: WardenConfig['fail_on'],
  incomplete = false,
): CheckConclusion {
  if (findings.length === 0) return incomplete ? 'neutral' : 'success';
  if (failOn === false) return 'neutral';
  const failing = findings.some((finding) =>
    meetsThreshold(finding, { min_severity: failOn.severity, min_confidence: failOn.confidence }),
  );
  return failing ? 'failure' : 'neutral';
}
