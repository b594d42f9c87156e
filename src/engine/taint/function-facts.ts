import { isScopeNode } from '../scopes.js';
import { pushInnerChildrenReversed } from '../syntax-tree.js';
import type { SyntaxNode } from '../types.js';
import type { SinkFamily } from './origin.js';
import { ALLOW_LIST_FAMILIES, PREFIX_CHECK_FAMILIES, SAFE_URL_CHECKS, VALIDATING_METHODS } from './sanitizers.js';

/** `items.append(v)`, `d[k] = v`, `obj.attr = v`: the container now holds `v`. */
export interface Mutation {
  /** Where the container changes, for ordering against reads. */
  at: SyntaxNode;
  value: SyntaxNode;
  note: string;
}

/** A region of code where a name has been validated, for some sink families. */
export interface Guard {
  start: number;
  end: number;
  families: ReadonlySet<SinkFamily>;
}

/** What one scope's own code (not nested scopes) does, gathered in one pass. */
export interface FunctionFacts {
  mutations: Map<string, Mutation[]>;
  guards: Map<string, Guard[]>;
  /** Expressions the function returns or yields. */
  returns: SyntaxNode[];
}

/** Methods that put their arguments into the receiver. */
const MUTATORS = new Set([
  'append',
  'extend',
  'insert',
  'add',
  'update',
  'appendleft',
  'extendleft',
  'setdefault',
  'push',
]);

/** Calls after which the rest of a block does not run. */
const EXITS = new Set(['abort', 'flask.abort', 'sys.exit', 'exit', 'quit', 'os._exit', 'fastapi.HTTPException']);

type QualifiedNames = (node: SyntaxNode) => string | undefined;

/** The name whose contents an assignment target changes: `x` for `x[k]`, `x.y`, `x.y[k]`. */
function containerName(target: SyntaxNode): string | undefined {
  let node = target;
  while (node.type === 'subscript' || node.type === 'attribute') {
    const inner = node.type === 'subscript' ? node.childForFieldName('value') : node.childForFieldName('object');
    if (!inner) return undefined;
    node = inner;
  }
  return node !== target && node.type === 'identifier' ? node.text : undefined;
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

export function collectFunctionFacts(scope: SyntaxNode, qualifiedName: QualifiedNames): FunctionFacts {
  const facts: FunctionFacts = { mutations: new Map(), guards: new Map(), returns: [] };
  const root =
    scope.type === 'function_definition' ? scope.childForFieldName('body') : scope.type === 'lambda' ? null : scope;
  if (scope.type === 'lambda') {
    const body = scope.childForFieldName('body');
    if (body) facts.returns.push(body);
    return facts;
  }
  if (!root) return facts;
  const stack: SyntaxNode[] = [...root.namedChildren];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isScopeNode(node)) continue;
    switch (node.type) {
      case 'return_statement':
      case 'yield': {
        const value = node.namedChildren.find((c) => c.type !== 'comment');
        if (value) facts.returns.push(value);
        break;
      }
      case 'assignment':
      case 'augmented_assignment': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const name = left ? containerName(left) : undefined;
        if (name && right) push(facts.mutations, name, { at: node, value: right, note: `stored into ${name}` });
        break;
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        const receiver = fn?.childForFieldName('object');
        const name = receiver?.type === 'identifier' ? receiver.text : receiver ? containerName(receiver) : undefined;
        if (method && MUTATORS.has(method) && name) {
          for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
            if (arg.type !== 'comment')
              push(facts.mutations, name, { at: node, value: arg, note: `added to ${name} by .${method}()` });
          }
        }
        break;
      }
      case 'if_statement':
        addIfGuards(facts, node, qualifiedName);
        break;
      case 'assert_statement': {
        const condition = node.namedChildren[0];
        const block = node.parent;
        if (condition && block)
          addValidations(
            facts,
            condition,
            { negated: false, start: node.endIndex, end: block.endIndex },
            qualifiedName,
          );
        break;
      }
    }
    pushInnerChildrenReversed(stack, node);
  }
  return facts;
}

function addIfGuards(facts: FunctionFacts, statement: SyntaxNode, qualifiedName: QualifiedNames): void {
  const condition = statement.childForFieldName('condition');
  const consequence = statement.childForFieldName('consequence');
  if (!condition || !consequence) return;
  // `if valid(x): <use x>` guards the body; `if not valid(x): return` guards what follows.
  const body = { start: consequence.startIndex, end: consequence.endIndex };
  addValidations(facts, condition, { negated: false, ...body }, qualifiedName);
  const block = statement.parent;
  if (!block || statement.childForFieldName('alternative')) return;
  const rest = { negated: true, start: statement.endIndex, end: block.endIndex };
  if (exitsEarly(consequence, qualifiedName)) {
    addValidations(facts, condition, rest, qualifiedName);
    return;
  }
  // `if not is_safe(url): url = "/"`: afterwards the name is either validated or replaced.
  const replaced = replacedName(consequence);
  if (replaced) addValidations(facts, condition, { ...rest, only: replaced }, qualifiedName);
}

/** The name a block ends by assigning a constant-looking value to (`url = "/"`), if any. */
function replacedName(block: SyntaxNode): string | undefined {
  const last = block.namedChildren.filter((c) => c.type !== 'comment').at(-1);
  const assignment = last?.type === 'expression_statement' ? last.namedChildren[0] : undefined;
  if (assignment?.type !== 'assignment') return undefined;
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  const isLiteral =
    right &&
    ['string', 'integer', 'none', 'call'].includes(right.type) &&
    !right.descendantsOfType('interpolation').length;
  return left?.type === 'identifier' && isLiteral ? left.text : undefined;
}

function exitsEarly(block: SyntaxNode, qualifiedName: QualifiedNames): boolean {
  const last = block.namedChildren.filter((c) => c.type !== 'comment').at(-1);
  if (!last) return false;
  if (['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(last.type)) return true;
  const call = last.type === 'expression_statement' ? last.namedChildren[0] : undefined;
  return call?.type === 'call' && EXITS.has(qualifiedName(call.childForFieldName('function')!) ?? '');
}

/** Where a condition's validations hold: the source range `[start, end)`, and whether the condition is false there. */
interface GuardedRange {
  negated: boolean;
  start: number;
  end: number;
  /** Only this name counts as validated (the others may still be unsafe there). */
  only?: string;
}

/** Records the names that `condition` validates over `range`. */
function addValidations(
  facts: FunctionFacts,
  condition: SyntaxNode,
  range: GuardedRange,
  qualifiedName: QualifiedNames,
): void {
  const { negated, start, end, only } = range;
  let node = condition;
  while (node.type === 'parenthesized_expression' && node.namedChildCount === 1) node = node.namedChild(0)!;
  if (node.type === 'not_operator') {
    const argument = node.childForFieldName('argument');
    if (argument) addValidations(facts, argument, { ...range, negated: !negated }, qualifiedName);
    return;
  }
  if (node.type === 'boolean_operator') {
    // Both halves hold when `a and b` is true, or when `a or b` is false.
    const operator = node.childForFieldName('operator')?.type;
    if ((operator === 'and' && !negated) || (operator === 'or' && negated)) {
      for (const side of [node.childForFieldName('left'), node.childForFieldName('right')])
        if (side) addValidations(facts, side, range, qualifiedName);
    }
    return;
  }
  const validation = validationOf(node, qualifiedName);
  if (!validation || validation.holdsWhen !== !negated || (only !== undefined && validation.name !== only)) return;
  push(facts.guards, validation.name, { start, end, families: validation.families });
}

interface Validation {
  name: string;
  families: ReadonlySet<SinkFamily>;
  /** The truth value of the condition that proves the name safe. */
  holdsWhen: boolean;
}

const REDIRECT_ONLY: ReadonlySet<SinkFamily> = new Set<SinkFamily>(['redirect']);
const HOST_CHECK_FAMILIES: ReadonlySet<SinkFamily> = new Set<SinkFamily>(['ssrf', 'redirect']);
const URL_PARSERS = new Set(['urllib.parse.urlsplit', 'urllib.parse.urlparse']);

/** `url` in `urlsplit(url).hostname` (or `.netloc`): the URL whose host an allow-list test checks. */
function allowListedHostOf(node: SyntaxNode, qualifiedName: QualifiedNames): string | undefined {
  if (node.type !== 'attribute' || !['hostname', 'netloc'].includes(node.childForFieldName('attribute')?.text ?? ''))
    return undefined;
  const call = node.childForFieldName('object');
  const parser = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (!call || !parser || !URL_PARSERS.has(qualifiedName(parser) ?? '')) return undefined;
  const url = call.childForFieldName('arguments')?.namedChildren[0];
  return url?.type === 'identifier' ? url.text : undefined;
}

function validationOf(node: SyntaxNode, qualifiedName: QualifiedNames): Validation | undefined {
  if (node.type === 'comparison_operator' && node.namedChildCount === 2) {
    const operator = node.childrenForFieldName('operators')[0]?.type;
    if (operator !== 'in' && operator !== 'not in') return undefined;
    const subject = node.namedChild(0)!;
    if (subject.type === 'identifier')
      return { name: subject.text, families: ALLOW_LIST_FAMILIES, holdsWhen: operator === 'in' };
    const url = allowListedHostOf(subject, qualifiedName);
    return url ? { name: url, families: HOST_CHECK_FAMILIES, holdsWhen: operator === 'in' } : undefined;
  }
  if (node.type !== 'call') return undefined;
  const fn = node.childForFieldName('function');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a) => a.type !== 'comment' && a.type !== 'keyword_argument',
  );
  if (!fn) return undefined;
  const qualified = qualifiedName(fn);
  if (qualified === 're.match' || qualified === 're.fullmatch') {
    return args[1]?.type === 'identifier'
      ? { name: args[1].text, families: ALLOW_LIST_FAMILIES, holdsWhen: true }
      : undefined;
  }
  if (qualified && SAFE_URL_CHECKS.has(qualified)) {
    return args[0]?.type === 'identifier'
      ? { name: args[0].text, families: REDIRECT_ONLY, holdsWhen: true }
      : undefined;
  }
  if (fn.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  if (receiver?.type === 'identifier' && VALIDATING_METHODS.has(method))
    return { name: receiver.text, families: ALLOW_LIST_FAMILIES, holdsWhen: true };
  if (receiver?.type === 'identifier' && (method === 'startswith' || method === 'is_relative_to'))
    return { name: receiver.text, families: PREFIX_CHECK_FAMILIES, holdsWhen: true };
  // `PATTERN.fullmatch(x)` on a compiled pattern.
  if ((method === 'fullmatch' || method === 'match') && args[0]?.type === 'identifier')
    return { name: args[0].text, families: ALLOW_LIST_FAMILIES, holdsWhen: true };
  return undefined;
}
