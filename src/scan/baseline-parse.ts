import { z } from 'zod';
import { BASELINE_VERSION, BaselineError, type Baseline } from './baseline.js';

// Kept apart from baseline.ts: only a run that reads a baseline file loads the schema library.
const baselineSchema: z.ZodType<Baseline> = z.object({
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
