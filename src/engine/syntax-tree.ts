import type Parser from 'tree-sitter';
import Python from 'tree-sitter-python';

export interface Point {
  /** 0-based; only `\n` starts a row, as in tree-sitter. */
  row: number;
  /** 0-based, in UTF-16 code units. */
  column: number;
}

/**
 * What the tree-sitter binding knows about a node type or field id is fixed by the grammar, so
 * each id is looked up once (from the cursor, the first time it appears) for every file after.
 */
const typeNames: string[] = [];
const typeIsNamed: boolean[] = [];
/** The grammar gives some children of this type a field name. */
const typeHasFields: boolean[] = [];
const fieldNames: string[] = [];
const fieldIdsByName = new Map<string, number>();
const ERROR_TYPE_ID = 0xffff;

const MISSING = 1;
const HAS_ERROR = 2;
/** The index of no node: the parent of the root, the sibling after the last, a field not there. */
export const NONE = -1;

/**
 * What the walks so far showed of each type id: never seen, only ever a leaf, or seen with
 * children. Stepping into a leaf is a native call that finds nothing, and leaves are half of
 * all nodes, so a type that has only ever been a leaf is not stepped into. A tree that has such
 * a type with children after all comes out short of its node count, and is read again with
 * every step taken (see `readShape`), which also teaches the type.
 */
const UNSEEN = 0;
const LEAF_SO_FAR = 1;
const HAD_CHILDREN = 2;
const typeShapes = new Uint8Array(0x10000);

/**
 * Types whose range the walk reads as it passes, rather than on first use. Reading a range later
 * moves a cursor back to the node (`readRange`), about three times the cost of reading it in
 * passing; in a scan of the stdlib with every rule, the rules asked for the text of 61% of
 * identifiers, 97% of dotted names and every comment, against under 10% of most other types.
 */
const RANGE_READ_IN_PASSING = new Set(['identifier', 'dotted_name', 'comment']);
const typeRangeInPassing: boolean[] = [];

/** Scratch stacks for the reading walk, grown as deeper trees come along and reused for every file. */
let openNodes = new Int32Array(256);
let lastChildren = new Int32Array(256);

function learnType(cursor: Parser.TreeCursor, typeId: number): void {
  const name = cursor.nodeType;
  typeNames[typeId] = name;
  typeIsNamed[typeId] = cursor.nodeIsNamed;
  typeHasFields[typeId] = typesWithFields.has(name);
  typeRangeInPassing[typeId] = RANGE_READ_IN_PASSING.has(name);
}

/** From the grammar's node-types.json, which lists the fields (inherited ones included) of every named type. */
const typesWithFields = new Set(
  (Python as unknown as { nodeTypeInfo: { type: string; named: boolean; fields?: object }[] }).nodeTypeInfo
    .filter((info) => info.named && info.fields && Object.keys(info.fields).length > 0)
    .map((info) => info.type),
);

function learnField(cursor: Parser.TreeCursor, fieldId: number): void {
  const name = cursor.currentFieldName;
  fieldNames[fieldId] = name;
  fieldIdsByName.set(name, fieldId);
}

/**
 * A parsed file read into typed arrays indexed by each node's position in a depth-first
 * (pre-order) walk, which is also tree-sitter's descendant index.
 *
 * Rules navigate the tree a great deal (`parent`, `childForFieldName`, `namedChildren`), and in
 * tree-sitter's Node binding every such step is a native call that also allocates a node
 * object. Here the shape of the tree (types, parents, siblings) is read in one TreeCursor walk,
 * and navigating it is an array read. A node's range costs two more native calls, so it is
 * read on first use, by moving a cursor to the node: most nodes are never looked at that
 * closely. The few types that rules nearly always read (names, comments) have theirs read in
 * passing. A node object is made once per node that some rule touches.
 */
export class SyntaxTree {
  readonly nodeCount: number;
  /** Tree-sitter type ids (aliases included), by node. */
  readonly types: Uint16Array;
  readonly parents: Int32Array;
  readonly previousSiblings: Int32Array;
  readonly nextSiblings: Int32Array;
  readonly childCounts: Int32Array;
  /** One past the last descendant: the subtree of `i` is `i .. subtreeEnds[i] - 1`. */
  readonly subtreeEnds: Int32Array;
  /** Source offsets, NONE until read. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** The field under which the node sits in its parent, 0 for none. */
  private readonly fields: Uint16Array;
  private readonly flags: Uint8Array;
  /**
   * Node objects by index. Rules ask for most nodes, so this is a plain array filled up front
   * (one read per lookup) rather than `NodeSlots`.
   */
  private readonly nodes: (SyntaxNode | undefined)[];
  /** Kept on the last node whose facts were read: the next node asked about is usually near. */
  private readonly cursor: Parser.TreeCursor;
  private lineStarts: Int32Array | undefined;

  constructor(
    tree: Parser.Tree,
    readonly source: string,
  ) {
    const root = tree.rootNode;
    const count = root.descendantCount;
    this.nodeCount = count;
    this.types = new Uint16Array(count);
    this.parents = new Int32Array(count);
    this.previousSiblings = new Int32Array(count);
    this.nextSiblings = new Int32Array(count).fill(NONE);
    this.childCounts = new Int32Array(count);
    this.subtreeEnds = new Int32Array(count);
    this.starts = new Int32Array(count).fill(NONE);
    this.ends = new Int32Array(count);
    this.fields = new Uint16Array(count);
    this.flags = new Uint8Array(count);
    this.nodes = new Array<SyntaxNode | undefined>(count).fill(undefined);
    this.cursor = tree.walk();
    const errors = root.hasError;
    if (this.readShape(errors, true) !== count) {
      // The short walk numbered every node after a subtree it skipped too low, so what it wrote
      // by index is wrong from there on, ranges read in passing included.
      this.starts.fill(NONE);
      this.nextSiblings.fill(NONE);
      this.childCounts.fill(0);
      this.fields.fill(0);
      this.flags.fill(0);
      this.readShape(errors, false);
    }
  }

  /**
   * One walk over every node: its type and its place in the tree; with `errors`, MISSING tokens
   * too. With `skipLeafTypes`, types only ever seen as leaves are not stepped into, and the
   * count of nodes read tells whether that held for this tree. Returns that count.
   */
  private readShape(errors: boolean, skipLeafTypes: boolean): number {
    const {
      cursor,
      types,
      parents,
      previousSiblings,
      nextSiblings,
      childCounts,
      subtreeEnds,
      fields,
      flags,
      starts,
      ends,
    } = this;
    let next = 0;
    let depth = 0;
    let descending = true;
    for (;;) {
      if (descending) {
        const index = next++;
        const typeId = cursor.nodeTypeId;
        if (typeNames[typeId] === undefined) learnType(cursor, typeId);
        types[index] = typeId;
        if (typeRangeInPassing[typeId]) {
          starts[index] = cursor.startIndex;
          ends[index] = cursor.endIndex;
        }
        if (errors) {
          if (typeId === ERROR_TYPE_ID) flags[index] = HAS_ERROR;
          else if (cursor.nodeIsMissing) flags[index] = MISSING | HAS_ERROR;
        }
        if (depth > 0) {
          const parent = openNodes[depth - 1];
          parents[index] = parent;
          childCounts[parent]++;
          const previous = lastChildren[depth - 1];
          previousSiblings[index] = previous;
          if (previous !== NONE) nextSiblings[previous] = index;
          lastChildren[depth - 1] = index;
          if (typeHasFields[types[parent]]) {
            const fieldId = cursor.currentFieldId;
            if (fieldId) {
              if (fieldNames[fieldId] === undefined) learnField(cursor, fieldId);
              fields[index] = fieldId;
            }
          }
        } else {
          parents[index] = NONE;
          previousSiblings[index] = NONE;
        }
        if (depth + 1 >= openNodes.length) growStacks();
        openNodes[depth] = index;
        lastChildren[depth] = NONE;
        const shape = typeShapes[typeId];
        if (shape !== LEAF_SO_FAR || !skipLeafTypes) {
          if (cursor.gotoFirstChild()) {
            if (shape !== HAD_CHILDREN) typeShapes[typeId] = HAD_CHILDREN;
            depth++;
            continue;
          }
          if (shape === UNSEEN) typeShapes[typeId] = LEAF_SO_FAR;
        }
      }
      const done = openNodes[depth];
      subtreeEnds[done] = next;
      if (errors && flags[done] & HAS_ERROR && depth > 0) flags[openNodes[depth - 1]] |= HAS_ERROR;
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      depth--;
      descending = false;
    }
    return next;
  }

  private readRange(index: number): void {
    this.cursor.gotoDescendant(index);
    this.starts[index] = this.cursor.startIndex;
    this.ends[index] = this.cursor.endIndex;
  }

  /** Source offset where node `index` starts (UTF-16 code units). */
  startOf(index: number): number {
    if (this.starts[index] === NONE) this.readRange(index);
    return this.starts[index];
  }

  endOf(index: number): number {
    if (this.starts[index] === NONE) this.readRange(index);
    return this.ends[index];
  }

  /** The first child of `parent` under field `name`, or NONE. */
  childForField(parent: number, name: string): number {
    const fieldId = fieldIdsByName.get(name);
    if (fieldId === undefined || this.childCounts[parent] === 0) return NONE;
    for (let i = parent + 1; i !== NONE; i = this.nextSiblings[i]!) if (this.fields[i] === fieldId) return i;
    return NONE;
  }

  /** Every child of `parent` under field `name`. */
  childrenForField(parent: number, name: string): number[] {
    const found: number[] = [];
    const fieldId = fieldIdsByName.get(name);
    if (fieldId === undefined || this.childCounts[parent] === 0) return found;
    for (let i = parent + 1; i !== NONE; i = this.nextSiblings[i]!) if (this.fields[i] === fieldId) found.push(i);
    return found;
  }

  /** A cache with one slot per node of this tree. */
  slotPerNode<T>(): NodeSlots<T> {
    return new NodeSlots<T>(this.nodeCount);
  }

  hasFlag(index: number, flag: number): boolean {
    return (this.flags[index] & flag) !== 0;
  }

  get rootNode(): SyntaxNode {
    return this.node(0);
  }

  /** The one node object for index `index`, made on first use. */
  node(index: number): SyntaxNode {
    let node = this.nodes[index];
    if (node === undefined) {
      node = new SyntaxNode(this, index);
      this.nodes[index] = node;
    }
    return node;
  }

  nodeOrNull(index: number): SyntaxNode | null {
    return index === NONE ? null : this.node(index);
  }

  typeName(index: number): string {
    return typeNames[this.types[index]];
  }

  isNamed(index: number): boolean {
    return typeIsNamed[this.types[index]];
  }

  /** The row and column of a source offset, as tree-sitter counts them. */
  pointAt(offset: number): Point {
    const lineStarts = (this.lineStarts ??= findLineStarts(this.source));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: offset - lineStarts[low] };
  }

  /** `pushInnerChildrenReversed` by index, for walks that make a node object only for the nodes they keep. */
  pushInnerChildIndexesReversed(stack: number[], index: number): void {
    const from = stack.length;
    if (this.childCounts[index] === 0) return;
    for (let i = index + 1; i !== NONE; i = this.nextSiblings[i]!)
      if (this.childCounts[i] > 0 && this.isNamed(i)) stack.push(i);
    for (let low = from, high = stack.length - 1; low < high; low++, high--)
      [stack[low], stack[high]] = [stack[high], stack[low]];
  }

  /** Indexes of the nodes of the given types in the subtree of `index`, itself included, in source order. */
  descendantsOfType(index: number, types: string | readonly string[]): number[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const found: number[] = [];
    const end = this.subtreeEnds[index];
    for (let i = index; i < end; i++) if (wanted.includes(typeNames[this.types[i]])) found.push(i);
    return found;
  }
}

/**
 * Values kept by node index, for the nodes that get one. An array with a slot per node costs
 * more: V8 makes an array of over 100,000 slots allocated up front a slow dictionary, and
 * filling it to keep it fast costs about 25 ns a slot, nearly all for nodes no rule asks about.
 * Here the per-node part is a typed array (zeroed memory), and the values sit packed in the
 * order they came.
 */
export class NodeSlots<T> {
  /** 0 for an empty slot, else one more than the value's position in `values`. */
  private readonly positions: Int32Array;
  private readonly values: T[] = [];

  constructor(count: number) {
    this.positions = new Int32Array(count);
  }

  get(index: number): T | undefined {
    const position = this.positions[index];
    return position === 0 ? undefined : this.values[position - 1];
  }

  set(index: number, value: T): void {
    const position = this.positions[index];
    if (position !== 0) this.values[position - 1] = value;
    else this.positions[index] = this.values.push(value);
  }
}

function findLineStarts(source: string): Int32Array {
  let count = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts[line++] = i + 1;
  return starts;
}

function growStacks(): void {
  const grow = (stack: Int32Array) => {
    const bigger = new Int32Array(stack.length * 2);
    bigger.set(stack);
    return bigger;
  };
  openNodes = grow(openNodes);
  lastChildren = grow(lastChildren);
}

/**
 * A node of a `SyntaxTree`, with the part of tree-sitter's `SyntaxNode` interface that the
 * engine and rules use. There is one object per node, so nodes compare with `===` and can key
 * a `Map`; `id` is the node's index in its tree.
 */
export class SyntaxNode {
  constructor(
    readonly tree: SyntaxTree,
    readonly id: number,
  ) {}

  get type(): string {
    return this.tree.typeName(this.id);
  }

  get typeId(): number {
    return this.tree.types[this.id];
  }

  get isNamed(): boolean {
    return this.tree.isNamed(this.id);
  }

  get isMissing(): boolean {
    return this.tree.hasFlag(this.id, MISSING);
  }

  get isError(): boolean {
    return this.tree.types[this.id] === ERROR_TYPE_ID;
  }

  /** The node or something inside it is a syntax error or a token the parser had to invent. */
  get hasError(): boolean {
    return this.tree.hasFlag(this.id, HAS_ERROR);
  }

  get text(): string {
    return this.tree.source.substring(this.tree.startOf(this.id), this.tree.endOf(this.id));
  }

  /** Offset in the source string (UTF-16 code units). */
  get startIndex(): number {
    return this.tree.startOf(this.id);
  }

  get endIndex(): number {
    return this.tree.endOf(this.id);
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.tree.startOf(this.id));
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.tree.endOf(this.id));
  }

  get parent(): SyntaxNode | null {
    return this.tree.nodeOrNull(this.tree.parents[this.id]);
  }

  get childCount(): number {
    return this.tree.childCounts[this.id];
  }

  get children(): SyntaxNode[] {
    const children: SyntaxNode[] = [];
    for (let i = this.firstChildIndex(); i !== NONE; i = this.tree.nextSiblings[i]!) children.push(this.tree.node(i));
    return children;
  }

  get namedChildren(): SyntaxNode[] {
    const children: SyntaxNode[] = [];
    for (let i = this.firstChildIndex(); i !== NONE; i = this.tree.nextSiblings[i]!)
      if (this.tree.isNamed(i)) children.push(this.tree.node(i));
    return children;
  }

  get namedChildCount(): number {
    let count = 0;
    for (let i = this.firstChildIndex(); i !== NONE; i = this.tree.nextSiblings[i]!) if (this.tree.isNamed(i)) count++;
    return count;
  }

  child(index: number): SyntaxNode | null {
    let i = this.firstChildIndex();
    for (let seen = 0; i !== NONE && seen < index; seen++) i = this.tree.nextSiblings[i]!;
    return this.tree.nodeOrNull(i);
  }

  namedChild(index: number): SyntaxNode | null {
    let seen = 0;
    for (let i = this.firstChildIndex(); i !== NONE; i = this.tree.nextSiblings[i]!) {
      if (!this.tree.isNamed(i)) continue;
      if (seen === index) return this.tree.node(i);
      seen++;
    }
    return null;
  }

  get firstChild(): SyntaxNode | null {
    return this.tree.nodeOrNull(this.firstChildIndex());
  }

  get lastChild(): SyntaxNode | null {
    let last = NONE;
    for (let i = this.firstChildIndex(); i !== NONE; i = this.tree.nextSiblings[i]!) last = i;
    return this.tree.nodeOrNull(last);
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.namedChild(0);
  }

  get lastNamedChild(): SyntaxNode | null {
    let last = NONE;
    for (let i = this.firstChildIndex(); i !== NONE; i = this.tree.nextSiblings[i]!) if (this.tree.isNamed(i)) last = i;
    return this.tree.nodeOrNull(last);
  }

  get nextSibling(): SyntaxNode | null {
    return this.tree.nodeOrNull(this.tree.nextSiblings[this.id]);
  }

  get previousSibling(): SyntaxNode | null {
    return this.tree.nodeOrNull(this.tree.previousSiblings[this.id]);
  }

  get nextNamedSibling(): SyntaxNode | null {
    let i = this.tree.nextSiblings[this.id];
    while (i !== NONE && !this.tree.isNamed(i)) i = this.tree.nextSiblings[i]!;
    return this.tree.nodeOrNull(i);
  }

  get previousNamedSibling(): SyntaxNode | null {
    let i = this.tree.previousSiblings[this.id];
    while (i !== NONE && !this.tree.isNamed(i)) i = this.tree.previousSiblings[i]!;
    return this.tree.nodeOrNull(i);
  }

  /** The first child under field `name` (`function`, `arguments`, `left`, …), or null. */
  childForFieldName(name: string): SyntaxNode | null {
    return this.tree.nodeOrNull(this.tree.childForField(this.id, name));
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    return this.tree.childrenForField(this.id, name).map((i) => this.tree.node(i));
  }

  /** Nodes of the given types in this subtree, this node included, in source order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    return this.tree.descendantsOfType(this.id, types).map((i) => this.tree.node(i));
  }

  private firstChildIndex(): number {
    // Pre-order: a node's first child, when it has one, comes right after it.
    return this.tree.childCounts[this.id] > 0 ? this.id + 1 : NONE;
  }
}

/**
 * Pushes `node`'s named children onto a depth-first stack, last first, so they pop in source
 * order. One pass over the children: asking `namedChild(i)` for each would cost the square of
 * their number (a function with 15,000 decorators).
 */
export function pushChildrenReversed(stack: SyntaxNode[], node: SyntaxNode): void {
  const children = node.namedChildren;
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
}

/**
 * Like `pushChildrenReversed`, but only the named children that have children of their own:
 * for walks that look for compound nodes (assignments, calls, statements). Leaves are half of
 * all nodes, and skipping them spares a node object for each.
 */
export function pushInnerChildrenReversed(stack: SyntaxNode[], node: SyntaxNode): void {
  const { tree } = node;
  innerChildIndexes.length = 0;
  tree.pushInnerChildIndexesReversed(innerChildIndexes, node.id);
  for (const index of innerChildIndexes) stack.push(tree.node(index));
}

const innerChildIndexes: number[] = [];
