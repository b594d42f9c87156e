import type { Rule } from '../engine/rule.js';

/**
 * Declares a rule. The message ids are inferred from `meta.messages`, so the compiler
 * rejects a `report` or test case that names an unknown one.
 */
export function createRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}
