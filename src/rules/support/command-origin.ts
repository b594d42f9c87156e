import type { RuleContext } from '../../engine/context.js';
import type { SinkFamily } from '../../engine/taint/origin.js';
import type { Confidence, Severity, SyntaxNode, TraceStep } from '../../engine/types.js';

/** What the origin of a value adds to a finding about it; spreads into `context.report`. */
export interface OriginEvidence {
  /** `source` when a known untrusted source reaches the sink, `unknown` otherwise. */
  kind: 'source' | 'unknown';
  confidence: Confidence;
  /** Raised to `high` for a known source; otherwise the rule decides. */
  severity?: Severity;
  trace?: TraceStep[];
}

/**
 * Grades a finding by where the value at an injection sink (a command, SQL, code, a template)
 * comes from. Every injection rule uses it, whatever its family: a known untrusted source is
 * reported with its trace and the source's own confidence, and at high severity when that is
 * high (request data, not the command line or the environment); an unknown origin with medium
 * confidence. Constants and values that pass through a sanitizer for the family give
 * undefined: there is nothing to report.
 */
export function originEvidence(context: RuleContext, node: SyntaxNode, family: SinkFamily): OriginEvidence | undefined {
  const origin = context.origin(node, family);
  switch (origin.kind) {
    case 'constant':
    case 'sanitized':
      return undefined;
    case 'source':
      return {
        kind: 'source',
        confidence: origin.confidence,
        ...(origin.confidence === 'high' ? { severity: 'high' } : {}),
        ...(origin.trace.length > 0 ? { trace: origin.trace } : {}),
      };
    case 'unknown':
      return { kind: 'unknown', confidence: 'medium' };
  }
}
