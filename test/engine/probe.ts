import { scanSource } from '../../src/engine/index.js';
import type { RuleContext } from '../../src/engine/context.js';
import type { AnyRule } from '../../src/engine/rule.js';
import type { SyntaxNode } from '../../src/engine/types.js';
import { createRule } from '../../src/rules/create-rule.js';

/**
 * A test-only rule that reports, at every call to a function named `probe`, whatever
 * `describe` says about the call: the engine's answers become finding messages to assert on.
 */
export function probeRule(
  describe: (call: SyntaxNode, context: RuleContext<'probe'>) => string | undefined,
  visitedType = 'call',
): AnyRule {
  return createRule({
    id: 'engine-probe',
    meta: {
      title: 'Engine probe',
      category: 'injection',
      cwe: [],
      severity: 'medium',
      confidence: 'medium',
      equivalents: {},
      messages: { probe: '{{answer}}' },
      docs: { why: 'Test only.', example: 'probe()', fix: 'None.', references: [] },
    },
    visitors: {
      [visitedType](node, context) {
        const answer = describe(node, context);
        if (answer !== undefined) context.report({ node, messageId: 'probe', data: { answer } });
      },
    },
    tests: { valid: [], invalid: [] },
  });
}

/** The messages the rule reported on `code`, in source order. */
export function answers(rule: AnyRule, code: string): string[] {
  const result = scanSource('probe.py', code, { rules: [rule] });
  if (result.ruleErrors.length > 0) throw new Error(result.ruleErrors[0].message);
  return result.findings.map((finding) => finding.message);
}
