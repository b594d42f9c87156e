import { Deadline } from './deadline.js';
import { NONE, type SyntaxTree } from './syntax-tree.js';
import type { SyntaxNode } from './types.js';

/** Comprehensions have their own scope in Python 3. */
const COMPREHENSION_TYPES = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
/** Node types that open a new Python scope. */
const SCOPE_TYPES = new Set(['module', 'function_definition', 'lambda', 'class_definition', ...COMPREHENSION_TYPES]);

export type BindingKind =
  | 'assign' // `x = value` with a single name target
  | 'unpack' // `a, b = value`, `for x in …`, `with … as x`, walrus in a pattern
  | 'augmented' // `x += value`
  | 'parameter'
  | 'import'
  | 'definition' // def / class
  | 'declaration' // global / nonlocal: the name lives elsewhere
  | 'other'; // except-as, match captures, del …

export interface Binding {
  kind: BindingKind;
  name: string;
  /** The node that binds the name (the identifier on the left, the parameter, the def). */
  node: SyntaxNode;
  /** The bound expression, for `assign`, `augmented` and `unpack`. */
  value?: SyntaxNode;
  /** The statement or clause that holds the binding. */
  statement: SyntaxNode;
}

export interface Scope {
  node: SyntaxNode;
  parent: Scope | undefined;
  bindings: Map<string, Binding[]>;
}

export function isScopeNode(node: SyntaxNode): boolean {
  return SCOPE_TYPES.has(node.type);
}

function add(scope: Scope, binding: Binding): void {
  const list = scope.bindings.get(binding.name);
  if (list) list.push(binding);
  else scope.bindings.set(binding.name, [binding]);
}

/** Every identifier bound by an assignment target (`a`, `a, b`, `[a, *b]`), not attributes or subscripts. */
export function targetNames(target: SyntaxNode): SyntaxNode[] {
  if (target.type === 'identifier') return [target];
  if (
    [
      'pattern_list',
      'tuple_pattern',
      'list_pattern',
      'tuple',
      'list',
      'parenthesized_expression',
      'list_splat_pattern',
      'list_splat',
    ].includes(target.type)
  ) {
    return target.namedChildren.flatMap(targetNames);
  }
  return [];
}

function collectParameters(scope: Scope, params: SyntaxNode, statement: SyntaxNode): void {
  for (const param of params.namedChildren) {
    let nameNode: SyntaxNode | null = null;
    if (param.type === 'identifier') nameNode = param;
    else if (param.type === 'default_parameter' || param.type === 'typed_default_parameter')
      nameNode = param.childForFieldName('name');
    else if (param.type === 'typed_parameter')
      nameNode =
        param.namedChildren.find(
          (c) => c.type === 'identifier' || c.type === 'list_splat_pattern' || c.type === 'dictionary_splat_pattern',
        ) ?? null;
    else if (param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern')
      nameNode = param.namedChildren[0] ?? null;
    if (nameNode && (nameNode.type === 'list_splat_pattern' || nameNode.type === 'dictionary_splat_pattern'))
      nameNode = nameNode.namedChildren[0] ?? null;
    if (nameNode?.type === 'identifier')
      add(scope, { kind: 'parameter', name: nameNode.text, node: nameNode, statement });
  }
}

/** Collects the bindings made directly in a scope's own code (not in nested scopes). */
function collectBindings(scope: Scope, deadline: Deadline): void {
  const root = scope.node;
  if (root.type === 'function_definition' || root.type === 'lambda') {
    const params = root.childForFieldName('parameters');
    if (params) collectParameters(scope, params, root);
  }
  const start =
    root.type === 'function_definition' || root.type === 'class_definition' ? root.childForFieldName('body') : root;
  if (!start) return;
  // Node indexes: most nodes passed bind nothing, and need no node object.
  const { tree } = root;
  const stack = start.namedChildren.map((child) => child.id).reverse();
  while (stack.length > 0) {
    deadline.check();
    const index = stack.pop()!;
    const type = tree.typeName(index);
    switch (type) {
      case 'lambda':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
      case 'delete_statement':
        continue;
      case 'function_definition':
      case 'class_definition':
      case 'assignment':
      case 'augmented_assignment':
      case 'named_expression':
      case 'for_statement':
      case 'as_pattern':
      case 'import_statement':
      case 'import_from_statement':
      case 'global_statement':
      case 'nonlocal_statement':
        collectStatementBindings(scope, tree.node(index), stack);
        continue;
      default:
        tree.pushInnerChildIndexesReversed(stack, index);
    }
  }
}

/**
 * The bindings one binding construct makes in `scope`; pushes the indexes of the parts of it
 * that run in the scope and may bind more (`a = b = value`, a decorator's walrus).
 */
function collectStatementBindings(scope: Scope, node: SyntaxNode, stack: number[]): void {
  switch (node.type) {
    case 'function_definition':
    case 'class_definition': {
      const name = node.childForFieldName('name');
      if (name) add(scope, { kind: 'definition', name: name.text, node: name, statement: node });
      // Decorators, defaults and base classes run in this scope; the body does not.
      for (const child of node.namedChildren) if (child.type !== 'block' && child !== name) stack.push(child.id);
      return;
    }
    case 'assignment': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const statement = node.parent ?? node;
      if (left) {
        if (left.type === 'identifier')
          add(scope, { kind: 'assign', name: left.text, node: left, value: right ?? undefined, statement });
        else
          for (const id of targetNames(left))
            add(scope, { kind: 'unpack', name: id.text, node: id, value: right ?? undefined, statement });
      }
      // `a = b = value`: the right side is itself an assignment.
      if (right) stack.push(right.id);
      return;
    }
    case 'augmented_assignment': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier')
        add(scope, {
          kind: 'augmented',
          name: left.text,
          node: left,
          value: right ?? undefined,
          statement: node.parent ?? node,
        });
      if (right) stack.push(right.id);
      return;
    }
    case 'named_expression': {
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      if (name) add(scope, { kind: 'assign', name: name.text, node: name, value: value ?? undefined, statement: node });
      if (value) stack.push(value.id);
      return;
    }
    case 'for_statement': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left)
        for (const id of targetNames(left))
          add(scope, { kind: 'unpack', name: id.text, node: id, value: right ?? undefined, statement: node });
      for (const child of node.namedChildren) if (child !== left) stack.push(child.id);
      return;
    }
    case 'as_pattern': {
      // `with x as y`, `except E as e`: the alias is bound to the value.
      const alias = node.childForFieldName('alias');
      const value = node.namedChildren[0];
      const ids = alias
        ? alias.type === 'as_pattern_target'
          ? alias.namedChildren.flatMap(targetNames)
          : targetNames(alias)
        : [];
      const isExcept = node.parent?.type === 'except_clause';
      for (const id of ids)
        add(scope, {
          kind: isExcept ? 'other' : 'unpack',
          name: id.text,
          node: id,
          value: isExcept ? undefined : value,
          statement: node,
        });
      if (value) stack.push(value.id);
      return;
    }
    case 'import_statement':
    case 'import_from_statement': {
      for (const name of node.childrenForFieldName('name')) {
        const local = name.type === 'aliased_import' ? name.childForFieldName('alias') : name;
        if (!local) continue;
        const bound =
          node.type === 'import_statement' && name.type !== 'aliased_import' ? local.text.split('.')[0] : local.text;
        add(scope, { kind: 'import', name: bound, node: local, statement: node });
      }
      return;
    }
    case 'global_statement':
    case 'nonlocal_statement':
      for (const id of node.namedChildren)
        if (id.type === 'identifier') add(scope, { kind: 'declaration', name: id.text, node: id, statement: node });
      return;
  }
}

const DEFAULT_PARAMETER_TYPES = new Set(['default_parameter', 'typed_default_parameter']);

/**
 * One step out from `child` towards its scope: the scope node, when `child`'s parent decides it,
 * or (as a negative number, `-index - 1`) the node whose enclosing scope is also `child`'s. A
 * def's parameters and body are in its scope, its name, decorators and return annotation in the
 * scope around it; a class's body is in its scope; a lambda and a comprehension are their own
 * scope; parameter defaults of a def or lambda are evaluated in the scope around it.
 */
function scopeStep(tree: SyntaxTree, child: number): number {
  const parent = tree.parents[child];
  const type = tree.typeName(parent);
  if (type === 'function_definition') {
    return tree.childForField(parent, 'body') === child || tree.childForField(parent, 'parameters') === child
      ? parent
      : -parent - 1;
  }
  if (type === 'class_definition') return tree.childForField(parent, 'body') === child ? parent : -parent - 1;
  if (type === 'lambda' || type === 'module' || COMPREHENSION_TYPES.has(type)) return parent;
  if (DEFAULT_PARAMETER_TYPES.has(type) && tree.childForField(parent, 'value') === child) {
    const parameters = tree.parents[parent];
    const owner = parameters === NONE ? NONE : tree.parents[parameters];
    const ownerType = owner === NONE ? '' : tree.typeName(owner);
    if (
      (ownerType === 'function_definition' || ownerType === 'lambda') &&
      tree.childForField(owner, 'parameters') === parameters
    )
      return -owner - 1;
  }
  return -parent - 1;
}

/** Builds scopes lazily and caches them for one file. */
export class ScopeIndex {
  private readonly scopes = new Map<SyntaxNode, Scope>();
  /**
   * `enclosingScopeNode` by node index, kept for every node passed on the way up: the scope
   * node's index plus one, 0 while unknown. Nearly every node gets one, so a typed array.
   */
  private readonly enclosing: Int32Array;

  constructor(
    private readonly root: SyntaxNode,
    private readonly deadline = new Deadline(),
  ) {
    this.enclosing = new Int32Array(root.tree.nodeCount);
  }

  scopeFor(node: SyntaxNode): Scope {
    return this.scopeOfNode(node === this.root ? this.root : this.enclosingScopeNode(node));
  }

  /**
   * The innermost scope node that contains `node`, not counting `node` itself. Climbs the tree
   * once: every node passed has the same answer and keeps it, so a file costs linear time.
   */
  enclosingScopeNode(node: SyntaxNode): SyntaxNode {
    const { tree } = node;
    const { enclosing } = this;
    const passed: number[] = [];
    let found = NONE;
    for (let index = node.id; found === NONE;) {
      const known = enclosing[index];
      if (known !== 0) {
        found = known - 1;
        break;
      }
      this.deadline.check();
      passed.push(index);
      if (tree.parents[index] === NONE) found = this.root.id;
      else {
        const step = scopeStep(tree, index);
        if (step >= 0) found = step;
        else index = -step - 1;
      }
    }
    for (const index of passed) enclosing[index] = found + 1;
    return tree.node(found);
  }

  /** Built from the outside in, without recursion: scopes can nest thousands deep. */
  private scopeOfNode(scopeNode: SyntaxNode): Scope {
    const known = this.scopes.get(scopeNode);
    if (known) return known;
    const missing: SyntaxNode[] = [];
    let outer: Scope | undefined;
    // Each enclosing scope node is a proper ancestor, so this climb ends at the root (an ERROR
    // node rather than a module when the parser gave up on the whole file).
    for (let current: SyntaxNode | undefined = scopeNode; current;) {
      outer = this.scopes.get(current);
      if (outer) break;
      missing.push(current);
      current = current === this.root ? undefined : this.enclosingScopeNode(current);
    }
    for (const node of missing.reverse()) {
      const scope: Scope = { node, parent: outer, bindings: new Map() };
      collectBindings(scope, this.deadline);
      this.scopes.set(node, scope);
      outer = scope;
    }
    return outer!;
  }

  /**
   * The bindings a read of `name` at `node` may see: those of the innermost scope that binds
   * it, following Python's rules (class scopes are skipped from nested functions; `global`
   * jumps to the module).
   */
  resolve(name: string, node: SyntaxNode): { scope: Scope; bindings: Binding[] } | undefined {
    let scope: Scope | undefined = this.scopeFor(node);
    const start = scope;
    while (scope) {
      const bindings = scope.bindings.get(name);
      if (bindings && !(scope !== start && scope.node.type === 'class_definition')) {
        const declaration = bindings.find((b) => b.kind === 'declaration');
        if (!declaration) return { scope, bindings };
        if (declaration.statement.type === 'global_statement') {
          let module: Scope = scope;
          while (module.parent) module = module.parent;
          const moduleBindings = module.bindings.get(name);
          return moduleBindings ? { scope: module, bindings: moduleBindings } : undefined;
        }
      }
      scope = scope.parent;
    }
    return undefined;
  }

  private globalNames: Set<string> | undefined;

  /** True when some function in the file rebinds `name` at module level through `global`. */
  isRebindableGlobal(name: string, module: Scope): boolean {
    if (!this.globalNames) {
      this.globalNames = new Set();
      for (const match of module.node.text.matchAll(/^[ \t]*global[ \t]+([\w, \t]+)/gm)) {
        for (const declared of match[1].split(',')) this.globalNames.add(declared.trim());
      }
    }
    return this.globalNames.has(name);
  }
}
