import type { RuleContext } from './context.js';
import type { Confidence, RuleIdentity, Severity, SyntaxNode } from './types.js';

/**
 * Handlers keyed by tree-sitter node type (`call`, `assignment`, `decorator`, …).
 * `<type>:exit` runs when the walk leaves a node of that type (`module:exit` at the end of a file).
 */
export type Visitors<MessageId extends string> = Partial<
  Record<string, (node: SyntaxNode, context: RuleContext<MessageId>) => void>
>;

export interface ExpectedFinding<MessageId extends string> {
  messageId: MessageId;
  line?: number;
  column?: number;
  severity?: Severity;
  confidence?: Confidence;
  /** A substring the rendered message must contain. */
  message?: string;
}

export interface InvalidCase<MessageId extends string> {
  code: string;
  /** The path the code is scanned under (some rules look at file names). */
  filename?: string;
  options?: Record<string, unknown>;
  errors: ExpectedFinding<MessageId>[];
  /** The source after applying every fix, when the findings carry fixes. */
  output?: string;
}

export type ValidCase = string | { code: string; filename?: string; options?: Record<string, unknown> };

export interface RuleTests<MessageId extends string> {
  valid: ValidCase[];
  invalid: InvalidCase<MessageId>[];
}

export interface Rule<MessageId extends string = string> extends RuleIdentity<MessageId> {
  visitors: Visitors<MessageId>;
  tests: RuleTests<MessageId>;
}

/** A rule whose message ids the compiler knows, so a typo in `report` fails to build. */
export type AnyRule = Rule<string>;
