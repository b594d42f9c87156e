import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';

/** How a string was put together from a template and values. */
export type BuildKind = 'an f-string' | 'concatenation' | '%-formatting' | 'str.format()';

/** A string built at runtime by splicing values into literal text. */
export interface BuiltString {
  how: BuildKind;
  /** The literal fragments joined by spaces: what the string looks like without its values. */
  literalText: string;
  /** The non-constant values spliced in, where they are spliced (possibly in earlier statements). */
  values: SyntaxNode[];
}

interface Pieces {
  literals: string[];
  values: SyntaxNode[];
  /** True when some part is known to be a string (a literal or a string built from one). */
  stringy: boolean;
  how?: BuildKind;
}

/** Past this nesting an expression is treated as opaque, to bound the work on generated code. */
const MAX_DEPTH = 200;
/** How many values and literal fragments a built string keeps. */
const MAX_PIECES = 64;
/** How many of the assignments before a read are followed: the first one and the nearest ones. */
const MAX_BINDINGS = 16;

/** Strips redundant parentheses. */
export function unparenthesized(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.namedChildCount === 1) current = current.namedChild(0)!;
  return current;
}

/** The expression of an f-string interpolation that is only `{expression}`: no `=`, `!r` or format spec. */
export function plainInterpolation(interpolation: SyntaxNode): SyntaxNode | undefined {
  return interpolation.childCount === 3 ? (interpolation.namedChildren[0] ?? undefined) : undefined;
}

function opaque(node: SyntaxNode): Pieces {
  return { literals: [], values: [node], stringy: false };
}

/**
 * Joins the pieces of several parts; a value or literal reached along several paths counts
 * once, and past MAX_PIECES of each the rest is left out (the verdict no longer changes).
 */
function merge(parts: Pieces[], how: BuildKind | undefined): Pieces {
  const byId = new Map<number, SyntaxNode>();
  const literalSet = new Set<string>();
  for (const part of parts) {
    for (const value of part.values) if (byId.size < MAX_PIECES) byId.set(value.id, value);
    for (const literal of part.literals) if (literalSet.size < MAX_PIECES) literalSet.add(literal);
  }
  const values = [...byId.values()];
  const inner = parts.find((p) => p.how)?.how;
  const result: Pieces = { literals: [...literalSet], values, stringy: parts.some((p) => p.stringy) };
  const kind = inner ?? (values.length > 0 ? how : undefined);
  if (kind) result.how = kind;
  return result;
}

/** The literal text of a string node, interpolations left out. */
function stringLiteralText(node: SyntaxNode): string {
  return node.namedChildren
    .filter((c) => c.type === 'string_content')
    .map((c) => c.text)
    .join(' ');
}

/** The expressions a `%` right operand or a call's arguments splice in. */
function splicedItems(node: SyntaxNode): SyntaxNode[] {
  const inner = unparenthesized(node);
  if (inner.type === 'tuple') return inner.namedChildren.filter((c) => c.type !== 'comment');
  if (inner.type === 'dictionary')
    return inner.namedChildren.flatMap((pair) =>
      pair.type === 'pair' ? [pair.childForFieldName('value')!] : pair.type === 'dictionary_splat' ? [pair] : [],
    );
  return [inner];
}

class StringBuildReader {
  private depth = 0;
  /** By identifier node: `q = q + x` repeated would otherwise re-read every earlier binding. */
  private readonly variables = new Map<number, Pieces>();

  constructor(private readonly context: RuleContext) {}

  read(node: SyntaxNode): Pieces {
    if (this.depth > MAX_DEPTH) return opaque(node);
    this.depth++;
    try {
      return this.readNode(unparenthesized(node));
    } finally {
      this.depth--;
    }
  }

  private readNode(node: SyntaxNode): Pieces {
    const { context } = this;
    if (context.isConstant(node)) {
      const value = context.stringValue(node);
      if (value !== undefined) return { literals: [value], values: [], stringy: true };
      const isString = node.type === 'string' || node.type === 'concatenated_string';
      return { literals: isString ? [stringLiteralText(node)] : [], values: [], stringy: isString };
    }
    switch (node.type) {
      case 'string': {
        const values = node.namedChildren
          .filter((c) => c.type === 'interpolation')
          .map((c) => c.childForFieldName('expression') ?? c.namedChildren[0])
          .filter((e) => e && !context.isConstant(e));
        return { literals: [stringLiteralText(node)], values, stringy: true, how: 'an f-string' };
      }
      case 'concatenated_string':
        return merge(
          node.namedChildren.filter((c) => c.type === 'string').map((c) => this.read(c)),
          'an f-string',
        );
      case 'binary_operator':
        return this.readBinary(node);
      case 'call':
        return this.readFormatCall(node);
      case 'identifier':
        return this.readVariable(node);
      default:
        return opaque(node);
    }
  }

  private readBinary(node: SyntaxNode): Pieces {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const operator = node.childForFieldName('operator')?.type;
    if (!left || !right) return opaque(node);
    if (operator === '+') {
      const parts = [this.read(left), this.read(right)];
      return parts.some((p) => p.stringy) ? merge(parts, 'concatenation') : opaque(node);
    }
    if (operator === '%') {
      const template = this.read(left);
      if (!template.stringy) return opaque(node);
      const values = splicedItems(right).filter((item) => !this.context.isConstant(item));
      return merge([template, { literals: [], values, stringy: true }], '%-formatting');
    }
    return opaque(node);
  }

  private readFormatCall(node: SyntaxNode): Pieces {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (
      fn?.type !== 'attribute' ||
      fn.childForFieldName('attribute')?.text !== 'format' ||
      args?.type !== 'argument_list'
    )
      return opaque(node);
    const template = this.read(fn.childForFieldName('object')!);
    if (!template.stringy) return opaque(node);
    const values = args.namedChildren
      .filter((a) => a.type !== 'comment')
      .map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value')! : a))
      .filter((value) => !this.context.isConstant(value));
    return merge([template, { literals: [], values, stringy: true }], 'str.format()');
  }

  /**
   * A variable is read through the assignments to it that come before the read in its scope,
   * so `q = "SELECT …"` followed by `q += x` is seen as one concatenation.
   */
  private readVariable(node: SyntaxNode): Pieces {
    const cached = this.variables.get(node.id);
    if (cached) return cached;
    const pieces = this.readBindings(node);
    this.variables.set(node.id, pieces);
    return pieces;
  }

  private readBindings(node: SyntaxNode): Pieces {
    // Only statements that end before the read: this also keeps `q = q + x` from reading itself.
    const earlier = this.context.bindingsOf(node).filter((b) => b.statement.endIndex <= node.startIndex);
    // The first assignment usually holds the statement's keywords (`q = "SELECT …"`); keep it.
    const bindings = earlier.length > MAX_BINDINGS ? [earlier[0], ...earlier.slice(1 - MAX_BINDINGS)] : earlier;
    if (bindings.length === 0 || bindings.some((b) => (b.kind !== 'assign' && b.kind !== 'augmented') || !b.value))
      return opaque(node);
    const parts = bindings.map((b) => this.read(b.value!));
    return parts.some((p) => p.stringy) ? merge(parts, 'concatenation') : opaque(node);
  }
}

/**
 * How `node` builds a string by splicing non-constant values into literal text: an f-string,
 * `+`, `%` or `.format()`, directly or through a variable assigned (and `+=`-extended) earlier
 * in the same scope. Undefined when it is a constant or not visibly built from a string.
 */
export function builtString(context: RuleContext, node: SyntaxNode): BuiltString | undefined {
  const pieces = new StringBuildReader(context).read(node);
  if (!pieces.stringy || pieces.values.length === 0 || !pieces.how) return undefined;
  return { how: pieces.how, literalText: pieces.literals.join(' '), values: pieces.values };
}
