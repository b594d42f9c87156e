import type { Finding } from '../engine/types.js';

/** Bumped whenever the file's shape changes; older files are then refused with a clear message. */
export const BASELINE_VERSION = 1;

/** A file of findings a team has accepted for now: `--baseline` hides them, anything else is new. */
export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** The Warden version that wrote the file, for people reading it. */
  generator: string;
  /** One entry per accepted occurrence: the same fingerprint twice means two copies are accepted. */
  findings: { fingerprint: string; ruleId: string; path: string; line: number }[];
}

/** A baseline file that cannot be used: what is wrong, with the file's name. */
export class BaselineError extends Error {}

/** Today's unsuppressed findings as a baseline. */
export function createBaseline(findings: readonly Finding[], generator: string): Baseline {
  return {
    version: BASELINE_VERSION,
    generator,
    findings: findings
      .filter((finding) => !finding.suppressed)
      .map(({ fingerprint, ruleId, path, line }) => ({ fingerprint, ruleId, path, line })),
  };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/**
 * Hides the findings the baseline accepted, counted per occurrence: a fingerprint listed once
 * hides one finding, so a second copy of an accepted problem is reported as new. Suppressed
 * findings pass through untouched.
 */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
): { findings: Finding[]; hidden: number } {
  const remaining = new Map<string, number>();
  for (const entry of baseline.findings) remaining.set(entry.fingerprint, (remaining.get(entry.fingerprint) ?? 0) + 1);
  let hidden = 0;
  const kept = findings.filter((finding) => {
    if (finding.suppressed) return true;
    const left = remaining.get(finding.fingerprint) ?? 0;
    if (left === 0) return true;
    remaining.set(finding.fingerprint, left - 1);
    hidden++;
    return false;
  });
  return { findings: kept, hidden };
}
