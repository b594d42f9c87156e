import type { Finding } from '../engine/types.js';

/**
 * True when a diff touched the finding: a touched line inside its range, or on any step of
 * its trace (a PR that adds the source of a flow into an old sink is what made it exploitable).
 */
export function findingTouches(finding: Pick<Finding, 'line' | 'endLine' | 'trace'>, touchedLines: ReadonlySet<number>): boolean {
  if (touchedLines.size === 0) return false;
  for (let line = finding.line; line <= finding.endLine; line++) if (touchedLines.has(line)) return true;
  return (finding.trace ?? []).some((step) => touchedLines.has(step.line));
}
