import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { unparenthesized } from './template-strings.js';

/**
 * The shape of an SQL statement in the literal text of a query. As in Bandit and Ruff, a
 * keyword alone is not enough ("select a file") : the statement must have its second clause.
 */
const SQL_STATEMENT =
  /\b(?:select\s[\s\S]*\bfrom\b|delete\s+from\b|(?:insert|replace)\s+(?:or\s+\w+\s+)?into\b|update\s[\s\S]*\bset\b|(?:create|drop|alter|truncate)\s+(?:temp(?:orary)?\s+)?(?:table|index|view|database|schema)\b)/i;

export function looksLikeSql(text: string): boolean {
  return SQL_STATEMENT.test(text);
}

/** Builtins whose result cannot carry SQL syntax. */
const NUMERIC_CASTS = new Set(['int', 'float', 'len', 'bool', 'abs', 'round']);

/** Methods that quote an identifier for the database (Django's `connection.ops.quote_name`, psycopg's `quote_ident`). */
const IDENTIFIER_QUOTERS = new Set(['quote_name', 'quote_ident', 'quote_identifier', 'escape_identifier']);

/** A `?`, `%s` or `:name` placeholder, possibly with its separator. */
const PLACEHOLDER_LITERAL = /^\s*,?\s*(?:\?|%s|:\w+)\s*,?\s*$/;

/**
 * True for a value spliced into SQL that cannot change the statement: a number (`int(x)`,
 * `len(rows)`), an identifier quoted for the database (`quote_name(table)`), or a list of
 * placeholders (`", ".join("?" * len(ids))`), the usual way to build `IN (?, ?, ?)` for a
 * parameterized query.
 */
export function isInertSqlValue(context: RuleContext, value: SyntaxNode): boolean {
  const node = unparenthesized(value);
  if (node.type === 'identifier') {
    // Earlier statements only, so that `a = b; b = a` cannot loop.
    const bindings = context.bindingsOf(node).filter((b) => b.statement.endIndex <= node.startIndex);
    return (
      bindings.length > 0 && bindings.every((b) => b.kind === 'assign' && b.value && isInertSqlValue(context, b.value))
    );
  }
  if (node.type !== 'call') return false;
  const callee = context.calleeName(node);
  if (callee && NUMERIC_CASTS.has(callee)) return true;
  const fn = node.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  if (name && IDENTIFIER_QUOTERS.has(name)) return true;
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'join') return false;
  const separator = fn.childForFieldName('object');
  if (!separator || !context.isConstant(separator)) return false;
  const strings = node.childForFieldName('arguments')?.descendantsOfType('string') ?? [];
  return (
    strings.length > 0 &&
    strings.every((s) => {
      const text = context.stringValue(s);
      return text !== undefined && PLACEHOLDER_LITERAL.test(text);
    })
  );
}
