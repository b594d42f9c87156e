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

function isFactoryCall(context: RuleContext, value: SyntaxNode | null | undefined, factories: ReadonlySet<string>) {
  return value?.type === 'call' && factories.has(context.calleeName(value) ?? '');
}

/** The class whose method holds `node`, when `node` sits directly in a method (not in a nested function). */
function classOfMethod(node: SyntaxNode): SyntaxNode | undefined {
  let sawFunction = false;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'lambda') {
      if (sawFunction) return undefined;
      sawFunction = true;
    } else if (current.type === 'class_definition') return sawFunction ? current : undefined;
  }
  return undefined;
}

/** What each class assigns to its attributes (`self.name = …` in methods, `name = …` in its body), built once per class. */
const classAttributeValues = new WeakMap<SyntaxNode, Map<string, (SyntaxNode | null)[]>>();

function attributeValues(cls: SyntaxNode): Map<string, (SyntaxNode | null)[]> {
  let values = classAttributeValues.get(cls);
  if (values) return values;
  values = new Map();
  for (const assignment of cls.descendantsOfType('assignment')) {
    const left = assignment.childForFieldName('left');
    let name: string | undefined;
    if (left?.type === 'identifier' && assignment.parent?.parent?.parent === cls) name = left.text;
    else if (left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self')
      name = left.childForFieldName('attribute')?.text;
    if (name) values.set(name, [...(values.get(name) ?? []), assignment.childForFieldName('right')]);
  }
  classAttributeValues.set(cls, values);
  return values;
}

/** True when `self.name` holds an instance made by one of `factories`: every value the class assigns to `name` is such a call. */
function isAttributeInstanceOf(context: RuleContext, attribute: SyntaxNode, factories: ReadonlySet<string>): boolean {
  const owner = attribute.childForFieldName('object');
  const name = attribute.childForFieldName('attribute')?.text;
  if (owner?.type !== 'identifier' || owner.text !== 'self' || !name) return false;
  const cls = classOfMethod(attribute);
  const values = cls ? attributeValues(cls).get(name) : undefined;
  return !!values && values.every((value) => isFactoryCall(context, value, factories));
}

/**
 * True when `receiver` is an instance made by one of `factories`: a variable every binding of
 * which is such a call (`s = requests.Session()`, `with httpx.Client() as c`), the call itself
 * (`requests.Session().post(…)`), or an attribute of `self` the class sets to one.
 */
export function isInstanceOf(context: RuleContext, receiver: SyntaxNode, factories: ReadonlySet<string>): boolean {
  if (receiver.type === 'call') return isFactoryCall(context, receiver, factories);
  if (receiver.type === 'attribute') return isAttributeInstanceOf(context, receiver, factories);
  if (receiver.type !== 'identifier') return false;
  const bindings = context.bindingsOf(receiver);
  return bindings.length > 0 && bindings.every((b) => isFactoryCall(context, b.value, factories));
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
