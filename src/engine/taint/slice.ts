import type { Finding } from '../types.js';

/** The lines a finding rests on: its own range and every step of its trace. */
export function sliceLines(finding: Pick<Finding, 'line' | 'endLine' | 'trace'>): number[] {
  const lines: number[] = [];
  for (let line = finding.line; line <= finding.endLine; line++) lines.push(line);
  for (const step of finding.trace ?? [])
    if (step.line < finding.line || step.line > finding.endLine) lines.push(step.line);
  return lines;
}

/**
 * True when a change touched what the finding rests on: a line of its range, or any line of
 * its trace. A pull request that only adds the source of a flow into an old, unchanged sink
 * is what made the sink exploitable, so the finding belongs to that pull request.
 */
export function isInTouchedSlice(
  finding: Pick<Finding, 'line' | 'endLine' | 'trace'>,
  touchedLines: ReadonlySet<number>,
): boolean {
  if (touchedLines.size === 0) return false;
  return sliceLines(finding).some((line) => touchedLines.has(line));
}
