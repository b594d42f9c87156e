import type { RuleContext } from '../../engine/context.js';
import type { Fix, SyntaxNode } from '../../engine/types.js';
import { plainInterpolation, unparenthesized } from './template-strings.js';

/** DB-API drivers by the placeholder their `paramstyle` uses. */
const PARAMSTYLE_OF_DRIVER: readonly (readonly [string, string])[] = [
  ['sqlite3', '?'],
  ['aiosqlite', '?'],
  ['psycopg', '%s'],
  ['psycopg2', '%s'],
  ['pymysql', '%s'],
  ['MySQLdb', '%s'],
  ['mysql.connector', '%s'],
];

type Segment = { literal: string } | { value: SyntaxNode };

interface QueryTemplate {
  /** The string prefix without `f` (`r`, `b`, …) and the quote, e.g. `r"` or `'''`. */
  opening: string;
  closing: string;
  segments: Segment[];
}

/** Where a value may become a parameter: after a comparison, LIKE, LIMIT/OFFSET, or in an IN/VALUES list. */
const VALUE_POSITION = /(?:[=<>]|\b(?:i?like|limit|offset)|\b(?:in|values)\s*\((?:[^()]*,)?)\s*$/i;
/** What may follow a parameter: the end, a space, a comma, a closing parenthesis or `;`. */
const PARAMETER_END = /^(?:$|[\s,);])/;

/** The driver placeholder when exactly one family of DB-API drivers is imported. */
function placeholderOf(context: RuleContext): string | undefined {
  const styles = new Set(
    PARAMSTYLE_OF_DRIVER.filter(([module]) => context.isModuleImported(module)).map(([, style]) => style),
  );
  return styles.size === 1 ? [...styles][0] : undefined;
}

function isSimpleValue(node: SyntaxNode): boolean {
  if (node.type === 'identifier') return true;
  if (node.type !== 'attribute') return false;
  const object = node.childForFieldName('object');
  return !!object && isSimpleValue(object);
}

function stringDelimiters(node: SyntaxNode): { opening: string; closing: string } | undefined {
  if (node.type !== 'string') return undefined;
  const start = node.firstChild;
  const end = node.lastChild;
  if (start?.type !== 'string_start' || end?.type !== 'string_end') return undefined;
  return { opening: start.text.replace(/[fF]/, ''), closing: end.text };
}

function plainStringBody(node: SyntaxNode): string {
  return node.text.slice(node.firstChild!.text.length, node.text.length - node.lastChild!.text.length);
}

function fStringTemplate(node: SyntaxNode): QueryTemplate | undefined {
  const delimiters = stringDelimiters(node);
  if (!delimiters) return undefined;
  const segments: Segment[] = [];
  for (const child of node.children.slice(1, -1)) {
    if (child.type !== 'interpolation') {
      segments.push({ literal: child.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') });
      continue;
    }
    const expression = plainInterpolation(child);
    if (!expression || !isSimpleValue(expression)) return undefined;
    segments.push({ value: expression });
  }
  return { ...delimiters, segments };
}

/** Splits a plain string body at its markers (`%s`, `{}`), pairing each with the next value. */
function spliceValues(body: string, marker: RegExp, values: SyntaxNode[]): Segment[] | undefined {
  const literals = body.split(marker);
  if (literals.length !== values.length + 1 || !values.every(isSimpleValue)) return undefined;
  return literals.flatMap((literal, i) => (i < values.length ? [{ literal }, { value: values[i] }] : [{ literal }]));
}

function percentTemplate(node: SyntaxNode): QueryTemplate | undefined {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const delimiters = left && stringDelimiters(unparenthesized(left));
  if (!delimiters || !right || /[fF]/.test(unparenthesized(left).firstChild!.text)) return undefined;
  const body = plainStringBody(unparenthesized(left));
  // `%%`, `%(name)s` and widths have no mechanical translation.
  if (/%(?![sd])/.test(body)) return undefined;
  const inner = unparenthesized(right);
  const values = inner.type === 'tuple' ? inner.namedChildren : [inner];
  const segments = spliceValues(body, /%[sd]/, values);
  return segments && { ...delimiters, segments };
}

function formatTemplate(node: SyntaxNode): QueryTemplate | undefined {
  const fn = node.childForFieldName('function');
  const receiver =
    fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format'
      ? fn.childForFieldName('object')
      : null;
  const delimiters = receiver && stringDelimiters(unparenthesized(receiver));
  if (!receiver || !delimiters || /[fF]/.test(unparenthesized(receiver).firstChild!.text)) return undefined;
  const body = plainStringBody(unparenthesized(receiver));
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  // Only automatic `{}` fields: numbered or named ones, specs and `{{` are left to a human.
  if (/[{}]/.test(body.replace(/\{\}/g, ''))) return undefined;
  const segments = spliceValues(body, /\{\}/, args);
  return segments && { ...delimiters, segments };
}

function concatenationTemplate(node: SyntaxNode): QueryTemplate | undefined {
  const leaves: SyntaxNode[] = [];
  const flatten = (part: SyntaxNode): boolean => {
    const inner = unparenthesized(part);
    if (inner.type === 'binary_operator' && inner.childForFieldName('operator')?.type === '+') {
      return flatten(inner.childForFieldName('left')!) && flatten(inner.childForFieldName('right')!);
    }
    leaves.push(inner);
    return true;
  };
  flatten(node);
  const strings = leaves.filter((leaf) => leaf.type === 'string');
  const first = strings[0] && stringDelimiters(strings[0]);
  if (!first) return undefined;
  const segments: Segment[] = [];
  for (const leaf of leaves) {
    if (leaf.type !== 'string') {
      if (!isSimpleValue(leaf)) return undefined;
      segments.push({ value: leaf });
      continue;
    }
    if (leaf.firstChild?.text !== strings[0].firstChild?.text || /[fF]/.test(leaf.firstChild!.text)) return undefined;
    segments.push({ literal: plainStringBody(leaf) });
  }
  return { ...first, segments };
}

function queryTemplate(node: SyntaxNode): QueryTemplate | undefined {
  if (node.type === 'string') return fStringTemplate(node);
  if (node.type === 'call') return formatTemplate(node);
  if (node.type !== 'binary_operator') return undefined;
  const operator = node.childForFieldName('operator')?.type;
  if (operator === '%') return percentTemplate(node);
  return operator === '+' ? concatenationTemplate(node) : undefined;
}

/**
 * Rewrites the values of a query template as driver parameters, or undefined when some value
 * does not sit where a parameter can (a table name, a column, the middle of a word or of a
 * LIKE pattern). A value in SQL quotes (`'{name}'`) loses the quotes.
 */
function parameterized(
  template: QueryTemplate,
  placeholder: string,
): { sql: string; values: SyntaxNode[] } | undefined {
  const literals: string[] = [];
  const values: SyntaxNode[] = [];
  let pending = '';
  const segments = template.segments;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if ('literal' in segment) {
      pending += segment.literal;
      continue;
    }
    const following = segments[i + 1];
    let next = following && 'literal' in following ? following.literal : '';
    const quote = /(['"])$/.exec(pending)?.[1];
    if (quote) {
      if (!next.startsWith(quote) || pending.endsWith(`\\${quote}`)) return undefined;
      pending = pending.slice(0, -1);
      next = next.slice(1);
      segments[i + 1] = { literal: next };
    }
    if (!VALUE_POSITION.test(literals.join(placeholder) + pending) || !PARAMETER_END.test(next)) return undefined;
    literals.push(pending);
    values.push(segment.value);
    pending = '';
  }
  literals.push(pending);
  const text = literals.join('');
  if (text.includes(placeholder === '?' ? '?' : '%')) return undefined;
  return { sql: literals.join(placeholder), values };
}

/**
 * A fix that turns `cursor.execute(f"… WHERE id = {x}")` (or the `%`, `.format()` and `+`
 * spellings) into `cursor.execute("… WHERE id = ?", (x,))` in the paramstyle of the one DB-API
 * driver the file imports. Undefined when the rewrite is not certainly equivalent. Only for
 * `execute`: `executemany` takes sequences of rows and `executescript` no parameters at all.
 */
export function parameterizeQueryFix(context: RuleContext, call: SyntaxNode, query: SyntaxNode): Fix | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'execute') return undefined;
  const placeholder = placeholderOf(context);
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (!placeholder || args.length !== 1 || args[0].id !== query.id) return undefined;
  const template = queryTemplate(unparenthesized(query));
  if (!template || template.segments.every((s) => 'literal' in s)) return undefined;
  const rewritten = parameterized({ ...template, segments: [...template.segments] }, placeholder);
  if (!rewritten) return undefined;
  const parameters = rewritten.values.map((v) => v.text);
  const tuple = parameters.length === 1 ? `(${parameters[0]},)` : `(${parameters.join(', ')})`;
  const replacement = `${template.opening}${rewritten.sql}${template.closing}, ${tuple}`;
  return {
    description: `Pass the values as query parameters (${placeholder})`,
    edits: [context.replaceNode(query, replacement)],
  };
}
