import { levelRank, type Finding } from '../engine/types.js';

/**
 * What GitHub code scanning accepts in one upload; a file beyond these is rejected as a whole.
 * https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#uploading-more-than-one-sarif-file-for-a-commit
 */
export interface SarifLimits {
  resultsPerRun: number;
  /** A finding's data-flow trace is its thread flow. (Each result has one location: the 1,000 per result cannot be reached.) */
  threadFlowLocationsPerResult: number;
  /** The upload is gzip-compressed before this limit applies. */
  gzipBytes: number;
}

export const GITHUB_SARIF_LIMITS: SarifLimits = {
  resultsPerRun: 25_000,
  threadFlowLocationsPerResult: 10_000,
  gzipBytes: 10 * 1024 * 1024,
};

/**
 * The findings to keep when only `count` fit: unsuppressed before suppressed, then by severity
 * and confidence, in report order otherwise. The kept findings stay in report order.
 */
export function keepMostSevere(findings: readonly Finding[], count: number): Finding[] {
  if (findings.length <= count) return [...findings];
  const priority = (finding: Finding) =>
    (finding.suppressed ? 0 : 100) + levelRank(finding.severity) * 10 + levelRank(finding.confidence);
  const kept = new Set(
    findings
      .map((finding, index) => ({ finding, index }))
      .sort((a, b) => priority(b.finding) - priority(a.finding) || a.index - b.index)
      .slice(0, count)
      .map(({ finding }) => finding),
  );
  return findings.filter((finding) => kept.has(finding));
}

/**
 * A trace cut to fit one thread flow: its first steps, leaving room for the sink, which the
 * flow always ends with. Returns the finding unchanged when it fits.
 */
export function withTraceFitting(finding: Finding, maxLocations: number): Finding {
  if (!finding.trace || finding.trace.length < maxLocations) return finding;
  return { ...finding, trace: finding.trace.slice(0, maxLocations - 1) };
}
