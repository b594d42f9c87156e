import type { ConstantEvaluator } from '../constants.js';
import type { Deadline } from '../deadline.js';
import { NestedRanges } from '../ranges.js';
import { targetNames, type Binding, type Scope, type ScopeIndex } from '../scopes.js';
import { pushInnerChildrenReversed } from '../syntax-tree.js';
import type { SyntaxNode } from '../types.js';
import type { SyntaxTree } from '../syntax-tree.js';
import { collectFunctionFacts, type FunctionFacts } from './function-facts.js';
import { enclosingClass } from './handler-sources.js';
import type { Origin, SinkFamily } from './origin.js';
import { isRowLookupMethod, isSanitizer, ROW_LOOKUPS } from './sanitizers.js';
import { attributeSource, callSource, parameterSource } from './sources.js';
import { parameterNames, type ParameterName, type SourceHost, type SourceMatch } from './source-match.js';
import {
  CLEAN,
  SANITIZED,
  extendTrace,
  isClean,
  parameterValue,
  sanitize,
  sourceValue,
  stepAt,
  through,
  traceSteps,
  union,
  UNKNOWN,
  type ParameterFlow,
  type SourceFlow,
  type TaintValue,
  type TraceLink,
} from './value.js';

/** What the taint analysis reads from the rest of the engine. */
export interface TaintHost extends SourceHost {
  readonly tree: SyntaxTree;
  readonly deadline: Deadline;
  readonly scopes: ScopeIndex;
  readonly constants: ConstantEvaluator;
}

/** The last hop of a trace: what the sink does with the value. */
const SINK_NOTES: Record<SinkFamily, string> = {
  sql: 'used in an SQL statement here',
  command: 'used in a shell command here',
  code: 'evaluated as code here',
  template: 'rendered as markup here',
  ssrf: 'used as a request URL here',
  path: 'used as a file path here',
  redirect: 'used as a redirect target here',
  deserialization: 'deserialized here',
  xml: 'parsed as XML here',
  header: 'written into a response header here',
  ldap: 'used in an LDAP query here',
  regex: 'compiled as a regular expression here',
  log: 'written to a log here',
  number: 'converted to a float here',
  xpath: 'used in an XPath expression here',
};

/** How many evaluations may be nested before the answer is given up as unknown. */
const MAX_DEPTH = 400;

const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const LOOPS = new Set(['for_statement', 'while_statement']);
const LITERALS = new Set([
  'integer',
  'float',
  'true',
  'false',
  'none',
  'ellipsis',
  'lambda',
  'slice',
  'comparison_operator',
  'not_operator',
]);
const CONTAINER_NOTES: Record<string, string> = {
  list: 'stored in a list',
  tuple: 'stored in a tuple',
  set: 'stored in a set',
  dictionary: 'stored in a dict',
};
/** Calls whose note says more than "passed through f()". */
const PATH_JOINS = new Set([
  'os.path.join',
  'posixpath.join',
  'pathlib.Path',
  'pathlib.PurePath',
  'urllib.parse.urljoin',
]);

/**
 * Intra-procedural taint analysis with summaries of module-local functions. Everything is
 * computed on demand, per expression and sink family, and memoised: a sink query only
 * analyses the expressions it depends on, so functions without sinks cost nothing.
 */
export class TaintAnalysis {
  private readonly memo = new Map<string, TaintValue>();
  private readonly inProgress = new Set<string>();
  private readonly facts = new Map<number, FunctionFacts>();
  private readonly selfStores = new Map<number, Map<string, SelfStore[]>>();
  private loops: NestedRanges<SyntaxNode> | undefined;

  constructor(private readonly host: TaintHost) {}

  origin(node: SyntaxNode, family: SinkFamily): Origin {
    if (this.host.constants.isConstant(node)) return { kind: 'constant', confidence: 'high', trace: [] };
    const value = this.evaluate(node, family);
    const best = value.sources[0];
    if (best) {
      const trace = traceSteps(extendTrace(best.trace, stepAt(node, SINK_NOTES[family]), true));
      return {
        kind: 'source',
        confidence: best.confidence,
        trace,
        source: best.source,
        ...(best.remote ? { remote: true } : {}),
      };
    }
    if (value.unknown) return { kind: 'unknown', confidence: 'medium', trace: [] };
    // Only parameters of an ordinary function reach here: callers may well pass constants.
    if (value.parameters.size > 0) return { kind: 'unknown', confidence: 'low', trace: [] };
    if (value.sanitized) return { kind: 'sanitized', confidence: 'high', trace: [] };
    return { kind: 'constant', confidence: 'high', trace: [] };
  }

  private evaluate(node: SyntaxNode, family: SinkFamily): TaintValue {
    return this.memoised(`${family}:${node.id}`, () => this.compute(node, family));
  }

  /** Memoises `compute`; a cycle (a loop-carried definition, a recursive helper) contributes nothing new. */
  private memoised(key: string, compute: () => TaintValue): TaintValue {
    const cached = this.memo.get(key);
    if (cached) return cached;
    if (this.inProgress.has(key)) return CLEAN;
    // Thousands of chained reassignments (generated code) would overflow the stack.
    if (this.inProgress.size >= MAX_DEPTH) return UNKNOWN;
    this.host.deadline.check();
    this.inProgress.add(key);
    const value = compute();
    this.inProgress.delete(key);
    this.memo.set(key, value);
    return value;
  }

  private unionOf(nodes: readonly (SyntaxNode | null | undefined)[], family: SinkFamily): TaintValue {
    return union(
      nodes.filter((n): n is SyntaxNode => !!n && n.type !== 'comment').map((n) => this.evaluate(n, family)),
    );
  }

  private compute(node: SyntaxNode, family: SinkFamily): TaintValue {
    if (LITERALS.has(node.type)) return CLEAN;
    switch (node.type) {
      case 'identifier':
        return this.evaluateName(node, family);
      case 'string': {
        const parts = node.namedChildren
          .filter((c) => c.type === 'interpolation')
          .map((c) => c.childForFieldName('expression') ?? c.namedChildren[0]);
        return through(this.unionOf(parts, family), stepAt(node, 'formatted into an f-string'));
      }
      case 'concatenated_string':
        return this.unionOf(node.namedChildren, family);
      case 'binary_operator': {
        const operator = node.childForFieldName('operator')?.type;
        const value = this.unionOf([node.childForFieldName('left'), node.childForFieldName('right')], family);
        const note =
          operator === '+'
            ? 'concatenated into a string'
            : operator === '%'
              ? 'interpolated with %'
              : operator === '/'
                ? 'joined into a path'
                : `combined with ${operator}`;
        return through(value, stepAt(node, note));
      }
      case 'boolean_operator':
        return this.unionOf([node.childForFieldName('left'), node.childForFieldName('right')], family);
      case 'conditional_expression': {
        const [body, , alternative] = node.namedChildren.filter((c) => c.type !== 'comment');
        return this.unionOf([body, alternative], family);
      }
      case 'attribute': {
        const match = attributeSource(node, this.host);
        if (match) return this.sourceAt(node, match, family);
        const object = this.evaluateObjectOf(node.childForFieldName('object'), family);
        const stored = this.storedInOtherMethods(node, family);
        return stored ? union([object, stored]) : object;
      }
      case 'subscript':
        return this.evaluateObjectOf(node.childForFieldName('value'), family);
      case 'call':
        return this.evaluateCall(node, family);
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary':
        return through(this.unionOf(node.namedChildren, family), stepAt(node, CONTAINER_NOTES[node.type]));
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.unionOf([node.childForFieldName('body')], family);
      case 'named_expression':
        return this.unionOf([node.childForFieldName('value')], family);
      case 'keyword_argument':
        return this.unionOf([node.childForFieldName('value')], family);
      case 'pair':
        return this.unionOf([node.childForFieldName('key'), node.childForFieldName('value')], family);
      case 'parenthesized_expression':
      case 'await':
      case 'unary_operator':
      case 'list_splat':
      case 'dictionary_splat':
      case 'expression_list':
      case 'interpolation':
      case 'as_pattern_target':
        return this.unionOf(node.namedChildren, family);
      default:
        return UNKNOWN;
    }
  }

  /** The object of `x.attr` or `x[k]`: a module or class is not data, whatever it holds. */
  private evaluateObjectOf(object: SyntaxNode | null, family: SinkFamily): TaintValue {
    if (!object) return UNKNOWN;
    if (object.type === 'identifier' && this.isModuleOrClass(object)) return UNKNOWN;
    return this.evaluate(object, family);
  }

  /** `os`, `os.path`, `SomeClass`: names of code, not of data. */
  private isModulePath(node: SyntaxNode): boolean {
    if (node.type === 'attribute') {
      // `flask.request.args` is imported too, but it is data.
      const object = node.childForFieldName('object');
      return !!object && this.isModulePath(object) && !attributeSource(node, this.host);
    }
    return node.type === 'identifier' && this.isModuleOrClass(node);
  }

  private isModuleOrClass(identifier: SyntaxNode): boolean {
    const bindings = this.host.bindingsOf(identifier);
    return (
      bindings.length > 0 &&
      bindings.every((b) => b.kind === 'import' || (b.kind === 'definition' && b.statement.type === 'class_definition'))
    );
  }

  private sourceAt(node: SyntaxNode, match: SourceMatch, family: SinkFamily): TaintValue {
    if (match.harmlessFor?.has(family)) return SANITIZED;
    const flow: SourceFlow = {
      source: match.source,
      confidence: match.confidence,
      remote: match.remote === true,
      trace: extendTrace(undefined, stepAt(node, match.note)),
    };
    return sourceValue(flow);
  }

  /**
   * `self.url` read in one method after another method of the class stored request data in it
   * (`self.url = request.args["u"]`). Stores in the reading method itself are mutations of
   * `self` there, ordered against the read like any other.
   */
  private storedInOtherMethods(read: SyntaxNode, family: SinkFamily): TaintValue | undefined {
    const object = read.childForFieldName('object');
    const attribute = read.childForFieldName('attribute')?.text;
    if (object?.type !== 'identifier' || object.text !== 'self' || !attribute) return undefined;
    const cls = enclosingClass(read);
    if (!cls) return undefined;
    let stores = this.selfStores.get(cls.id);
    if (!stores) {
      stores = collectSelfStores(cls);
      this.selfStores.set(cls.id, stores);
    }
    const readingMethod = this.host.scopes.scopeFor(read).node;
    const values = (stores.get(attribute) ?? [])
      .filter((store) => store.method.id !== readingMethod.id)
      .map((store) => through(this.evaluate(store.value, family), stepAt(store.at, `stored into self.${attribute}`)));
    return values.length > 0 ? union(values) : undefined;
  }

  private factsOf(scope: SyntaxNode): FunctionFacts {
    let facts = this.facts.get(scope.id);
    if (!facts) {
      facts = collectFunctionFacts(scope, (n) => this.host.qualifiedName(n));
      this.facts.set(scope.id, facts);
    }
    return facts;
  }

  private evaluateName(node: SyntaxNode, family: SinkFamily): TaintValue {
    const comprehension = this.comprehensionBinding(node);
    if (comprehension) return through(this.evaluate(comprehension, family), stepAt(node, `iterated into ${node.text}`));
    const resolved = this.host.scopes.resolve(node.text, node);
    if (!resolved) return UNKNOWN;
    const { scope, bindings } = resolved;
    const readScope = this.host.scopes.scopeFor(node);
    const local = readScope.node.id === scope.node.id;
    const facts = this.factsOf(scope.node);
    const reaching = local ? this.reachingBindings(node, bindings, scope.node) : bindings;
    const values = reaching.map((binding) => this.bindingValue(binding, family));
    for (const mutation of facts.mutations.get(node.text) ?? []) {
      if (local && !this.mayReach(mutation.at.endIndex, mutation.at, node, scope.node)) continue;
      values.push(through(this.evaluate(mutation.value, family), stepAt(mutation.at, mutation.note)));
    }
    const value = union(values);
    const guarded =
      local &&
      (facts.guards.get(node.text) ?? []).some(
        (g) => g.start <= node.startIndex && node.endIndex <= g.end && g.families.has(family),
      );
    return guarded ? sanitize(value) : value;
  }

  /** The iterable a comprehension variable is drawn from, when `node` reads one. */
  private comprehensionBinding(node: SyntaxNode): SyntaxNode | undefined {
    for (
      let scope: Scope | undefined = this.host.scopes.scopeFor(node);
      scope && COMPREHENSIONS.has(scope.node.type);
      scope = scope.parent
    ) {
      for (const clause of scope.node.namedChildren) {
        if (clause.type !== 'for_in_clause') continue;
        const left = clause.childForFieldName('left');
        if (left && targetNames(left).some((id) => id.text === node.text))
          return clause.childForFieldName('right') ?? undefined;
      }
    }
    return undefined;
  }

  /**
   * The bindings that may reach a read in the same scope: the latest one before it that
   * dominates the read (and everything after that), plus those a loop can carry around.
   */
  private reachingBindings(read: SyntaxNode, bindings: readonly Binding[], scope: SyntaxNode): Binding[] {
    const before: { binding: Binding; position: number }[] = [];
    const reaching: Binding[] = [];
    for (const binding of bindings) {
      if (binding.kind === 'declaration') continue;
      const position = effectivePosition(binding);
      if (position <= read.startIndex) before.push({ binding, position });
      else if (this.mayReach(position, binding.node, read, scope)) reaching.push(binding);
    }
    before.sort((a, b) => b.position - a.position);
    for (const { binding } of before) {
      reaching.push(binding);
      if (kills(binding) && dominates(binding, read)) break;
    }
    return reaching;
  }

  /** True when something at `position` happens before `read`, or later in a loop around both. */
  private mayReach(position: number, at: SyntaxNode, read: SyntaxNode, scope: SyntaxNode): boolean {
    if (position <= read.startIndex) return true;
    this.loops ??= new NestedRanges(
      this.host.tree.rootNode
        .descendantsOfType([...LOOPS])
        .map((loop) => ({ start: loop.startIndex, end: loop.endIndex, value: loop })),
    );
    const loop = this.loops.around(Math.min(at.startIndex, read.startIndex), Math.max(at.endIndex, read.endIndex));
    return !!loop && scope.startIndex <= loop.start && loop.end <= scope.endIndex && loop.value.id !== scope.id;
  }

  private bindingValue(binding: Binding, family: SinkFamily): TaintValue {
    return this.memoised(`${family}:b${binding.node.id}`, () => this.computeBindingValue(binding, family));
  }

  private computeBindingValue(binding: Binding, family: SinkFamily): TaintValue {
    const name = binding.name;
    switch (binding.kind) {
      case 'parameter': {
        const match = parameterSource(binding, this.host);
        if (match) return this.sourceAt(binding.node, match, family);
        const index = parameterNames(binding.statement.childForFieldName('parameters')).findIndex(
          (p) => p.node.id === binding.node.id,
        );
        const flow: ParameterFlow = {
          functionId: binding.statement.id,
          index,
          trace: extendTrace(undefined, stepAt(binding.node, `parameter \`${name}\``)),
        };
        return parameterValue(flow);
      }
      case 'assign':
        if (!binding.value) return UNKNOWN;
        return through(this.evaluate(binding.value, family), stepAt(binding.node, `assigned to ${name}`));
      case 'augmented':
        if (!binding.value) return UNKNOWN;
        return through(this.evaluate(binding.value, family), stepAt(binding.node, `appended to ${name}`));
      case 'unpack': {
        if (!binding.value) return UNKNOWN;
        const statement = binding.statement;
        if (statement.type === 'for_statement')
          return through(this.evaluate(binding.value, family), stepAt(binding.node, `iterated into ${name}`));
        if (statement.type === 'as_pattern')
          return through(this.evaluate(binding.value, family), stepAt(binding.node, `bound to ${name} by with`));
        const element = matchingElement(binding);
        return through(this.evaluate(element ?? binding.value, family), stepAt(binding.node, `unpacked into ${name}`));
      }
      default:
        return UNKNOWN;
    }
  }

  private evaluateCall(call: SyntaxNode, family: SinkFamily): TaintValue {
    const fn = call.childForFieldName('function');
    if (!fn) return UNKNOWN;
    const match = callSource(call, this.host);
    if (match) return this.sourceAt(call, match, family);
    const qualified = this.host.qualifiedName(fn);
    const args = call.childForFieldName('arguments');
    const argNodes =
      args?.type === 'argument_list' ? args.namedChildren.filter((a) => a.type !== 'comment') : args ? [args] : [];
    if (qualified && isSanitizer(qualified, family)) return sanitize(this.unionOf(argNodes, family));
    // `map(re.escape, terms)`: the sanitizer is applied to every element.
    const mapped = qualified === 'map' ? this.host.qualifiedName(argNodes[0] ?? fn) : undefined;
    if (mapped && isSanitizer(mapped, family)) return sanitize(this.unionOf(argNodes.slice(1), family));
    const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    const object = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (object && method === 'replace' && family === 'log' && this.removesLineBreaks(argNodes[0]))
      return sanitize(this.evaluate(object, family));
    const receiverAttribute = object?.type === 'attribute' ? object.childForFieldName('attribute')?.text : undefined;
    if (ROW_LOOKUPS.has(qualified ?? '') || (method && isRowLookupMethod(method, receiverAttribute))) return UNKNOWN;
    const local = fn.type === 'identifier' ? this.localCallees(fn) : undefined;
    if (local) return union(local.map((callee) => this.applySummary(callee, call, argNodes, family)));
    // `os.path.join(...)`: a function named through a module; only its arguments matter.
    const receiver = object && !this.isModulePath(object) ? this.evaluate(object, family) : CLEAN;
    const argValue = this.unionOf(argNodes, family);
    // A call of unknown code with nothing to go on returns something of unknown origin.
    if (argNodes.length === 0 && isClean(receiver) && !(object && this.host.constants.isConstant(object)))
      return UNKNOWN;
    if (isClean(argValue)) return receiver;
    const label = qualified ?? method ?? fn.text;
    const note = PATH_JOINS.has(qualified ?? '')
      ? `joined into a path by ${label}()`
      : method === 'format'
        ? 'formatted with .format()'
        : method === 'join'
          ? 'joined with str.join()'
          : `passed through ${label}()`;
    return union([receiver, through(argValue, stepAt(call, note))]);
  }

  /** `s.replace("\n", " ")`: a log line can no longer be split in two by what `s` holds. */
  private removesLineBreaks(old: SyntaxNode | undefined): boolean {
    const value = old && this.host.constants.value(old);
    return typeof value === 'string' && /[\r\n]/.test(value);
  }

  /** The defs (or lambdas) a call of a plain name reaches, when all of them are in this module. */
  private localCallees(fn: SyntaxNode): SyntaxNode[] | undefined {
    const bindings = this.host.bindingsOf(fn);
    if (bindings.length === 0) return undefined;
    const callees: SyntaxNode[] = [];
    for (const binding of bindings) {
      if (binding.kind === 'definition' && binding.statement.type === 'function_definition')
        callees.push(binding.statement);
      else if (binding.kind === 'assign' && binding.value?.type === 'lambda') callees.push(binding.value);
      else return undefined;
    }
    return callees;
  }

  /** What a call of a module-local function returns: its own sources, plus the arguments that flow to its return. */
  private applySummary(callee: SyntaxNode, call: SyntaxNode, argNodes: SyntaxNode[], family: SinkFamily): TaintValue {
    const summary = this.memoised(`${family}:s${callee.id}`, () =>
      union(this.factsOf(callee).returns.map((r) => this.evaluate(r, family))),
    );
    const name =
      callee.type === 'function_definition' ? `${callee.childForFieldName('name')?.text ?? 'function'}()` : 'lambda';
    const returned = stepAt(call, `returned from ${name}`);
    const parts: TaintValue[] = [
      { sources: summary.sources, parameters: new Map(), sanitized: summary.sanitized, unknown: summary.unknown },
    ];
    const params = parameterNames(callee.childForFieldName('parameters'));
    for (const [key, flow] of summary.parameters) {
      if (flow.functionId !== callee.id) {
        parts.push(through({ ...CLEAN, parameters: new Map([[key, flow]]) }, returned));
        continue;
      }
      const argValue = this.unionOf(argumentsForParameter(params, flow.index, argNodes), family);
      parts.push(through(appendTrace(through(argValue, stepAt(call, `passed to ${name}`)), flow.trace), returned));
    }
    return union(parts);
  }
}

/** `self.name = value` in a method of a class. */
interface SelfStore {
  method: SyntaxNode;
  at: SyntaxNode;
  value: SyntaxNode;
}

/** Every `self.x = …` and `self.x += …` in the methods of `cls`, by attribute name. */
function collectSelfStores(cls: SyntaxNode): Map<string, SelfStore[]> {
  const stores = new Map<string, SelfStore[]>();
  for (const member of cls.childForFieldName('body')?.namedChildren ?? []) {
    const method = member.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    if (method?.type !== 'function_definition') continue;
    const stack: SyntaxNode[] = [...(method.childForFieldName('body')?.namedChildren ?? [])];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'class_definition' || node.type === 'function_definition' || node.type === 'lambda') continue;
      if (node.type === 'assignment' || node.type === 'augmented_assignment') {
        const left = node.childForFieldName('left');
        const value = node.childForFieldName('right');
        const name = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
        if (name && value && left?.childForFieldName('object')?.text === 'self') {
          const list = stores.get(name);
          const store = { method, at: node, value };
          if (list) list.push(store);
          else stores.set(name, [store]);
        }
      }
      pushInnerChildrenReversed(stack, node);
    }
  }
  return stores;
}

/** The arguments of a call that bind parameter `index`; all splats when positions are lost. */
function argumentsForParameter(
  params: readonly ParameterName[],
  index: number,
  argNodes: readonly SyntaxNode[],
): SyntaxNode[] {
  const param = params[index];
  if (!param) return [];
  const positional = argNodes.filter((a) => a.type !== 'keyword_argument' && a.type !== 'dictionary_splat');
  const keywords = argNodes.filter((a) => a.type === 'keyword_argument' || a.type === 'dictionary_splat');
  const splats = argNodes.filter((a) => a.type === 'list_splat' || a.type === 'dictionary_splat');
  if (param.collects === 'positional') return positional.slice(index);
  if (param.collects === 'keywords') {
    const named = new Set(params.map((p) => p.name));
    return keywords.filter((a) => a.type === 'dictionary_splat' || !named.has(a.childForFieldName('name')?.text ?? ''));
  }
  const byKeyword = keywords.find((a) => a.childForFieldName('name')?.text === param.name);
  if (byKeyword) return [byKeyword];
  const firstSplat = positional.findIndex((a) => a.type === 'list_splat');
  if (firstSplat !== -1 && firstSplat <= index) return splats;
  return positional[index] ? [positional[index]] : splats;
}

/** Appends the steps of `inner` (a parameter's path through a callee) to every flow of `value`. */
function appendTrace(value: TaintValue, inner: TraceLink): TaintValue {
  const steps = traceSteps(inner);
  const extend = (trace: TraceLink) => steps.reduce<TraceLink>((link, step) => extendTrace(link, step), trace);
  const parameters = new Map<string, ParameterFlow>();
  for (const [key, flow] of value.parameters) parameters.set(key, { ...flow, trace: extend(flow.trace) });
  return { ...value, sources: value.sources.map((flow) => ({ ...flow, trace: extend(flow.trace) })), parameters };
}

/** Where a binding takes effect: after its right-hand side, or at the loop or `with` target. */
function effectivePosition(binding: Binding): number {
  if (binding.kind === 'parameter') return -1;
  if (binding.statement.type === 'for_statement' || binding.kind === 'other') return binding.node.endIndex;
  return binding.statement.endIndex;
}

/** True for bindings that replace the previous value (not `x += …`, not a loop target that may not run). */
function kills(binding: Binding): boolean {
  return binding.kind !== 'augmented' && binding.statement.type !== 'for_statement';
}

/** True when a binding's statement runs whenever the read does: it sits in a block that encloses the read. */
function dominates(binding: Binding, read: SyntaxNode): boolean {
  if (binding.kind === 'parameter') return true;
  let block = binding.statement.parent;
  // A `with` body always runs; other compound statements may skip theirs.
  while (block && (block.type !== 'block' || block.parent?.type === 'with_statement') && block.type !== 'module')
    block = block.parent;
  return !!block && block.startIndex <= read.startIndex && read.endIndex <= block.endIndex;
}

/** For `a, b = x, y`: the element assigned to this name, when the shapes match. */
function matchingElement(binding: Binding): SyntaxNode | undefined {
  const value = binding.value;
  const target = binding.node.parent;
  if (!value || !target || !['tuple', 'list', 'expression_list'].includes(value.type)) return undefined;
  if (!['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list'].includes(target.type)) return undefined;
  const targets = target.namedChildren.filter((c) => c.type !== 'comment');
  const values = value.namedChildren.filter((c) => c.type !== 'comment');
  if (
    targets.length !== values.length ||
    values.some((v) => v.type === 'list_splat') ||
    targets.some((t) => t.type === 'list_splat_pattern')
  )
    return undefined;
  return values[targets.findIndex((t) => t.id === binding.node.id)];
}
