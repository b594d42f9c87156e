import type { RuleContext } from '../../engine/context.js';
import type { Origin, SinkFamily } from '../../engine/taint/origin.js';
import type { SyntaxNode } from '../../engine/types.js';

/**
 * The origin of the first of `values` that a traced, remote untrusted source reaches.
 *
 * URLs, file paths, redirect targets, header values and LDAP filters are built from variables
 * in almost every function; reporting each one whose origin is unknown would bury the real
 * problems. Rules for these families therefore report only a flow from data another party
 * sends (request data, route parameters, a Lambda event, a queued job's payload at low
 * confidence), with its trace. Unknown origins stay silent, and so do
 * command-line arguments, `input()`, the environment and file contents: a command-line tool
 * that opens the path or fetches the URL its user typed is doing its job.
 */
export function tracedSource(
  context: RuleContext,
  values: readonly (SyntaxNode | undefined)[],
  family: SinkFamily,
): { value: SyntaxNode; origin: Origin } | undefined {
  for (const value of values) {
    if (!value) continue;
    const origin = context.origin(value, family);
    if (origin.kind === 'source' && origin.remote) return { value, origin };
  }
  return undefined;
}

/**
 * Reports a flow that `tracedSource` found at `node`: the message gets the source as
 * `{{source}}`, the finding the source's confidence and its trace.
 */
export function reportTracedFlow<MessageId extends string>(
  context: RuleContext<MessageId>,
  node: SyntaxNode,
  messageId: MessageId,
  flow: { origin: Origin },
  data: Record<string, string> = {},
): void {
  context.report({
    node,
    messageId,
    data: { ...data, source: flow.origin.source ?? 'untrusted input' },
    confidence: flow.origin.confidence,
    origin: flow.origin,
  });
}

export { methodName as methodOf, receiverOf } from '../../engine/calls.js';

/** True when every binding of `identifier` assigns the result of a call to one of `factories` (`s = requests.Session()`, `with httpx.Client() as c`). */
export function isInstanceOf(context: RuleContext, identifier: SyntaxNode, factories: ReadonlySet<string>): boolean {
  if (identifier.type !== 'identifier') return false;
  const bindings = context.bindingsOf(identifier);
  return (
    bindings.length > 0 &&
    bindings.every((b) => b.value?.type === 'call' && factories.has(context.calleeName(b.value) ?? ''))
  );
}

const MAX_PREFIX_DEPTH = 6;

/**
 * The literal text a string value certainly starts with: the text before the first
 * interpolation of an f-string, the left side of `+`, the template of `%` or `.format()`,
 * followed through a variable assigned once. Empty when nothing is known.
 */
export function leadingText(context: RuleContext, node: SyntaxNode, depth = 0): string {
  if (depth > MAX_PREFIX_DEPTH) return '';
  const constant = context.stringValue(node);
  if (constant !== undefined) return constant;
  switch (node.type) {
    case 'parenthesized_expression':
      return node.namedChildCount === 1 ? leadingText(context, node.namedChild(0)!, depth + 1) : '';
    case 'string': {
      let text = '';
      for (const child of node.namedChildren) {
        if (child.type === 'interpolation') break;
        if (child.type === 'string_content') text += child.text;
      }
      return text;
    }
    case 'concatenated_string': {
      const first = node.namedChildren[0];
      return first ? leadingText(context, first, depth + 1) : '';
    }
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      if (!left) return '';
      const operator = node.childForFieldName('operator')?.type;
      if (operator === '+') {
        const leftText = context.stringValue(left);
        const right = node.childForFieldName('right');
        return leftText !== undefined && right
          ? leftText + leadingText(context, right, depth + 1)
          : leadingText(context, left, depth + 1);
      }
      return operator === '%' ? leadingText(context, left, depth + 1).split('%')[0] : '';
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return '';
      const template = fn.childForFieldName('object');
      return template ? leadingText(context, template, depth + 1).split('{')[0] : '';
    }
    case 'identifier': {
      const bindings = context.bindingsOf(node);
      const only = bindings.length === 1 ? bindings[0] : undefined;
      return only?.kind === 'assign' && only.value ? leadingText(context, only.value, depth + 1) : '';
    }
    default:
      return '';
  }
}

/** `https://api.example.com/…`: scheme and host are fixed, only the path or query varies. */
export function hasFixedHost(prefix: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#{}%]+[/?#]/i.test(prefix);
}
