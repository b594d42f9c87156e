import { z } from 'zod';
import type { Finding } from '../engine/types.js';

/** Bumped whenever the file's shape changes; older files are then refused with a clear message. */
export const BASELINE_VERSION = 1;

const baselineSchema = z.object({
  version: z.literal(BASELINE_VERSION),
  /** The Warden version that wrote the file, for people reading it. */
  generator: z.string(),
  /** One entry per accepted occurrence: the same fingerprint twice means two copies are accepted. */
  findings: z.array(
    z.object({
      fingerprint: z.string().min(1),
      // Where the finding was when the baseline was written: for people reviewing the file, never matched on.
      ruleId: z.string(),
      path: z.string(),
      line: z.number().int(),
    }),
  ),
});

/** A file of findings a team has accepted for now: `--baseline` hides them, anything else is new. */
export type Baseline = z.infer<typeof baselineSchema>;

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

export function parseBaseline(text: string, source: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${source}: not a Warden baseline (invalid JSON: ${(error as Error).message})`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== BASELINE_VERSION)
    throw new BaselineError(
      `${source}: baseline format version ${version} is not supported (this Warden reads version ${BASELINE_VERSION}); write it again with --write-baseline`,
    );
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new BaselineError(
      `${source}: not a Warden baseline (${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data;
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
