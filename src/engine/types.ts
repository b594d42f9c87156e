export type { Point, SyntaxNode } from './syntax-tree.js';

export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Ordinal of a severity or confidence level, for threshold comparisons. */
export function levelRank(level: Severity): number {
  return SEVERITIES.indexOf(level);
}

export const CATEGORIES = [
  'injection',
  'authentication',
  'csrf',
  'hardening',
  'crypto',
  'deserialization',
  'xml',
  'randomness',
  'network',
  'dependencies',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Replaces the whole lines `startLine..endLine` (1-based, inclusive) with `replacement`
 * (its own lines, without a trailing newline). Whole-line edits map one-to-one onto
 * GitHub ```suggestion blocks.
 */
export interface FixEdit {
  startLine: number;
  endLine: number;
  replacement: string;
}

export interface Fix {
  description: string;
  edits: FixEdit[];
}

/** One hop of a data flow from a source to a sink (1-based line and column). */
export interface TraceStep {
  line: number;
  column: number;
  note: string;
}

export type SuppressionKind = 'warden' | 'nosec' | 'noqa';

export interface Suppression {
  kind: SuppressionKind;
  /** The comment text that suppressed the finding. */
  comment: string;
  line: number;
}

/**
 * What a change did that makes a finding new, set by scans that compare a change with its base
 * (a pull request, `warden scan --diff`).
 */
export interface ChangeCause {
  /** One sentence, e.g. "the sanitizer on base line 14 (`name = shlex.quote(name)`) was removed". */
  note: string;
  /** The changed line behind it: on the new version (`RIGHT`) or a removed line of the base (`LEFT`). */
  anchor?: { side: 'LEFT' | 'RIGHT'; line: number };
}

export interface Finding {
  ruleId: string;
  /** Which of the rule's messages this is. */
  messageId: string;
  title: string;
  category: Category;
  cwe: number[];
  severity: Severity;
  confidence: Confidence;
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Stable across unrelated edits: no line numbers go into it. */
  fingerprint: string;
  fix?: Fix;
  trace?: TraceStep[];
  suppressed?: Suppression;
  /** Why the finding is new in a change; only diff-aware scans set it. */
  introducedBy?: ChangeCause;
}

export interface RuleDocs {
  /** Why is this bad: the risk, in a short paragraph. */
  why: string;
  /** Insecure code, as Python source. */
  example: string;
  /** How to fix it: prose followed by the secure version. */
  fix: string;
  knownProblems?: string;
  references: string[];
}

export interface RuleEquivalents {
  bandit?: string[];
  ruff?: string[];
  semgrep?: string[];
}

export interface RuleMeta<MessageId extends string = string> {
  /** A short title used in reports, e.g. "Shell command built from data". */
  title: string;
  category: Category;
  cwe: number[];
  /** Default severity; a report may override it. */
  severity: Severity;
  /** Default confidence; a report may override it as evidence rises or falls. */
  confidence: Confidence;
  equivalents: RuleEquivalents;
  /** Message templates; `{{name}}` is filled from the report's data. */
  messages: Record<MessageId, string>;
  docs: RuleDocs;
}

/** What a report needs of the rule that made it: its id and metadata, not its visitors. */
export interface RuleIdentity<MessageId extends string = string> {
  /** Equals the file name under `src/rules/<category>/`. */
  id: string;
  meta: RuleMeta<MessageId>;
}
