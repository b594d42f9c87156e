import { Deadline } from './deadline.js';
import type { ScopeIndex } from './scopes.js';
import type { SyntaxNode } from './types.js';

/** A Python value known at analysis time. `null` is `None`; arrays are lists and tuples. */
export type LiteralValue = string | number | boolean | null | LiteralValue[];

const NOT_CONSTANT = Symbol('not constant');
/** Constant, but its value is not worth computing (`"%s" % (1,)`, `"{}".format(2)`). */
const OPAQUE = Symbol('opaque constant');
type Evaluated = LiteralValue | typeof NOT_CONSTANT | typeof OPAQUE;

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function unescape(content: string): string {
  return content.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[ntr\\'"0abfv]|\n)/g, (_, esc: string) => {
    if (esc === '\n') return '';
    if (esc.length > 1) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return ESCAPES[esc] ?? esc;
  });
}

/** The prefix letters of a string literal (`rb`, `f`, …), lower-cased. */
export function stringPrefix(node: SyntaxNode): string {
  const start = node.firstChild;
  const text = start?.type === 'string_start' ? start.text : node.text;
  return (/^[a-zA-Z]*/.exec(text)?.[0] ?? '').toLowerCase();
}

/** True for an f-string (or t-string) that interpolates something. */
export function hasInterpolation(node: SyntaxNode): boolean {
  return node.namedChildren.some((c) => c.type === 'interpolation');
}

/**
 * How many evaluations may be nested (a name bound to a name bound to a name…, brackets in
 * brackets). Deeper than that the value is not constant, which keeps any finding on it: a
 * budget may cost precision, never a finding, and never the stack.
 */
const MAX_DEPTH = 200;

/** Evaluates expressions made only of literals and names bound only to literals. */
export class ConstantEvaluator {
  private readonly cache = new Map<SyntaxNode, Evaluated>();
  private readonly inProgress = new Set<SyntaxNode>();

  constructor(
    private readonly scopes: ScopeIndex,
    private readonly deadline = new Deadline(),
  ) {}

  isConstant(node: SyntaxNode): boolean {
    return this.evaluate(node) !== NOT_CONSTANT;
  }

  /** The value, or `undefined` when it is not a constant or not computed. */
  value(node: SyntaxNode): LiteralValue | undefined {
    const result = this.evaluate(node);
    return result === NOT_CONSTANT || result === OPAQUE ? undefined : result;
  }

  private evaluate(node: SyntaxNode): Evaluated {
    const cached = this.cache.get(node);
    if (cached !== undefined) return cached;
    if (this.inProgress.has(node)) return NOT_CONSTANT;
    if (this.inProgress.size >= MAX_DEPTH) return NOT_CONSTANT;
    this.deadline.check();
    this.inProgress.add(node);
    const result = this.compute(node);
    this.inProgress.delete(node);
    this.cache.set(node, result);
    return result;
  }

  private compute(node: SyntaxNode): Evaluated {
    switch (node.type) {
      case 'string':
        return this.stringValue(node);
      case 'concatenated_string': {
        let joined = '';
        let opaque = false;
        for (const part of node.namedChildren) {
          const value = this.evaluate(part);
          if (value === NOT_CONSTANT) return NOT_CONSTANT;
          if (value === OPAQUE || typeof value !== 'string') opaque = true;
          else joined += value;
        }
        return opaque ? OPAQUE : joined;
      }
      case 'integer': {
        const text = node.text.replace(/_/g, '').replace(/[lLjJ]$/, '');
        const value = /^0[oO]/.test(text)
          ? parseInt(text.slice(2), 8)
          : /^0[bB]/.test(text)
            ? parseInt(text.slice(2), 2)
            : Number(text);
        return Number.isFinite(value) ? value : OPAQUE;
      }
      case 'float':
        return Number(node.text.replace(/_/g, '').replace(/[jJ]$/, ''));
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c.type !== 'comment');
        return inner ? this.evaluate(inner) : NOT_CONSTANT;
      }
      case 'tuple':
      case 'list': {
        const items: LiteralValue[] = [];
        let opaque = false;
        for (const item of node.namedChildren) {
          if (item.type === 'comment') continue;
          const value = this.evaluate(item);
          if (value === NOT_CONSTANT) return NOT_CONSTANT;
          if (value === OPAQUE) opaque = true;
          else items.push(value);
        }
        return opaque ? OPAQUE : items;
      }
      case 'unary_operator': {
        const operand = node.childForFieldName('argument');
        const value = operand ? this.evaluate(operand) : NOT_CONSTANT;
        if (typeof value === 'number') return node.child(0)?.type === '-' ? -value : value;
        return value === NOT_CONSTANT ? NOT_CONSTANT : OPAQUE;
      }
      case 'binary_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return NOT_CONSTANT;
        const a = this.evaluate(left);
        const b = this.evaluate(right);
        if (a === NOT_CONSTANT || b === NOT_CONSTANT) return NOT_CONSTANT;
        const operator = node.childForFieldName('operator')?.type;
        if (operator === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
        if (typeof a === 'number' && typeof b === 'number') {
          switch (operator) {
            case '+':
              return a + b;
            case '-':
              return a - b;
            case '*':
              return a * b;
            case '**':
              return a ** b;
            case '<<':
              return a * 2 ** b;
            default:
              return OPAQUE;
          }
        }
        return OPAQUE;
      }
      case 'call': {
        // `"…{}".format(<constants>)` stays constant.
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format' || !args)
          return NOT_CONSTANT;
        const receiver = fn.childForFieldName('object');
        if (!receiver || this.evaluate(receiver) === NOT_CONSTANT) return NOT_CONSTANT;
        for (const arg of args.namedChildren) {
          const value = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg;
          if (arg.type === 'comment') continue;
          if (
            !value ||
            arg.type === 'list_splat' ||
            arg.type === 'dictionary_splat' ||
            this.evaluate(value) === NOT_CONSTANT
          )
            return NOT_CONSTANT;
        }
        return OPAQUE;
      }
      case 'identifier':
        return this.nameValue(node);
      default:
        return NOT_CONSTANT;
    }
  }

  private stringValue(node: SyntaxNode): Evaluated {
    const prefix = stringPrefix(node);
    let text = '';
    let opaque = false;
    for (const child of node.namedChildren) {
      if (child.type === 'string_content') text += prefix.includes('r') ? child.text : unescape(child.text);
      else if (child.type === 'escape_sequence') text += prefix.includes('r') ? child.text : unescape(child.text);
      else if (child.type === 'interpolation') {
        const expression = child.childForFieldName('expression') ?? child.namedChildren[0];
        if (!expression || this.evaluate(expression) === NOT_CONSTANT) return NOT_CONSTANT;
        opaque = true;
      }
    }
    return opaque ? OPAQUE : text;
  }

  /** A name counts as constant when every binding it can see assigns a constant. */
  private nameValue(node: SyntaxNode): Evaluated {
    const resolved = this.scopes.resolve(node.text, node);
    if (!resolved) return NOT_CONSTANT;
    const { scope, bindings } = resolved;
    if (scope.node.type === 'module' && this.scopes.isRebindableGlobal(node.text, scope)) return NOT_CONSTANT;
    let result: Evaluated = NOT_CONSTANT;
    for (const binding of bindings) {
      if (binding.kind !== 'assign' || !binding.value) return NOT_CONSTANT;
      const value = this.evaluate(binding.value);
      if (value === NOT_CONSTANT) return NOT_CONSTANT;
      // Several constant bindings: constant, but which value reaches the read is unknown.
      result = result === NOT_CONSTANT ? value : JSON.stringify(result) === JSON.stringify(value) ? value : OPAQUE;
    }
    return result;
  }
}
