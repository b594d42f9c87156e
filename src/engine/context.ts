import type Parser from 'tree-sitter';
import { ConstantEvaluator, type LiteralValue } from './constants.js';
import { Deadline } from './deadline.js';
import { addImportStatement, emptyImportTable, type ImportTable } from './imports.js';
import { ScopeIndex, type Binding } from './scopes.js';
import { SyntaxTree, type NodeSlots } from './syntax-tree.js';
import { TaintAnalysis } from './taint/analysis.js';
import type { Origin, SinkFamily } from './taint/origin.js';
import type { Confidence, Fix, FixEdit, RuleIdentity, Severity, SyntaxNode, TraceStep } from './types.js';

/** Names Python resolves without an import. Only the ones rules care about need listing. */
const BUILTINS = new Set([
  'eval',
  'exec',
  'compile',
  'open',
  'input',
  '__import__',
  'getattr',
  'setattr',
  'print',
  'int',
  'float',
  'bool',
  'str',
  'bytes',
  'len',
  'list',
  'dict',
  'set',
  'tuple',
  'globals',
  'locals',
  'vars',
  'format',
  'repr',
  'hash',
  'id',
  'type',
  'isinstance',
]);

export interface ReportDescriptor<MessageId extends string> {
  node: SyntaxNode;
  messageId: MessageId;
  data?: Record<string, string | number>;
  severity?: Severity;
  confidence?: Confidence;
  fix?: Fix;
  trace?: TraceStep[];
  /**
   * The origin the report rests on. When absent, the origins this rule asked about inside
   * the reported node during the current visit are used.
   */
  origin?: Origin;
}

/** What one rule reported, before suppressions and fingerprints are applied. */
export interface RawReport {
  rule: RuleIdentity;
  messageId: string;
  node: SyntaxNode;
  message: string;
  severity: Severity;
  confidence: Confidence;
  fix?: Fix;
  trace?: TraceStep[];
  /** The report rests on data of unknown origin (see `EngineOptions.reportUnknownOrigin`). */
  unknownOrigin?: boolean;
}

/** A call's arguments as Python binds them. */
interface CallArguments {
  positional: SyntaxNode[];
  /** `name=value` nodes by name. */
  keywords: ReadonlyMap<string, SyntaxNode>;
  /** `*args` or `**kwargs` is passed. */
  unpacked: boolean;
}

/** Shared by the calls that pass no keyword argument, most of them. */
const NO_KEYWORDS: ReadonlyMap<string, SyntaxNode> = new Map();

/** Facts about one parsed file, computed once and shared by every rule. */
export class FileAnalysis {
  readonly imports: ImportTable;
  readonly scopes: ScopeIndex;
  readonly constants: ConstantEvaluator;
  readonly tree: SyntaxTree;
  // Caches by node index: they cost less to read and to collect than a Map keyed by node objects.
  private readonly qualifiedNames: NodeSlots<string | null>;
  private readonly calleeNames: NodeSlots<string | null>;
  private readonly callArgumentLists: NodeSlots<CallArguments>;
  private readonly sourceTests = new Map<RegExp, boolean>();
  private taint: TaintAnalysis | undefined;
  private sourceLines: string[] | undefined;

  constructor(
    readonly path: string,
    readonly source: string,
    tree: SyntaxTree | Parser.Tree,
    private readonly taintEnabled = true,
    readonly deadline = new Deadline(),
  ) {
    this.tree = tree instanceof SyntaxTree ? tree : new SyntaxTree(tree, source);
    this.qualifiedNames = this.tree.slotPerNode();
    this.calleeNames = this.tree.slotPerNode();
    this.callArgumentLists = this.tree.slotPerNode();
    this.imports = emptyImportTable();
    // Imports are gathered before the walk so that a function defined above a module-level
    // import still resolves names through it.
    for (const statement of this.tree.rootNode.descendantsOfType(['import_statement', 'import_from_statement'])) {
      addImportStatement(this.imports, statement);
    }
    this.scopes = new ScopeIndex(this.tree.rootNode, deadline);
    this.constants = new ConstantEvaluator(this.scopes, deadline);
  }

  /** The source's lines, split when a rule first asks: few do. */
  get lines(): string[] {
    return (this.sourceLines ??= this.source.split(/\r\n|\r|\n/));
  }

  /** Created on the first query, so files without taint-aware sinks pay nothing. */
  origin(node: SyntaxNode, family: SinkFamily): Origin {
    if (!this.taintEnabled) {
      return this.constants.isConstant(node)
        ? { kind: 'constant', confidence: 'high', trace: [] }
        : { kind: 'unknown', confidence: 'medium', trace: [] };
    }
    this.taint ??= new TaintAnalysis(this);
    return this.taint.origin(node, family);
  }

  /**
   * Whether the file's text matches `pattern`, worked out once per file and pattern: rules ask
   * from per-node visitors, and a whole-text search per call node is quadratic in file size.
   */
  sourceMatches(pattern: RegExp): boolean {
    let matches = this.sourceTests.get(pattern);
    if (matches === undefined) {
      pattern.lastIndex = 0;
      matches = pattern.test(this.source);
      this.sourceTests.set(pattern, matches);
    }
    return matches;
  }

  isModuleImported(module: string): boolean {
    return this.imports.importedModules.has(module);
  }

  bindingsOf(identifier: SyntaxNode): Binding[] {
    return this.scopes.resolve(identifier.text, identifier)?.bindings ?? [];
  }

  qualifiedName(node: SyntaxNode): string | undefined {
    // null marks a node known to have no qualified name.
    const known = this.qualifiedNames.get(node.id);
    if (known !== undefined) return known ?? undefined;
    const name = this.computeQualifiedName(node);
    this.qualifiedNames.set(node.id, name ?? null);
    return name;
  }

  /** The qualified name of a call's callee. */
  calleeName(call: SyntaxNode): string | undefined {
    // Nearly every rule asks this of every call: kept by the call's index, it is one array read.
    const known = this.calleeNames.get(call.id);
    if (known !== undefined) return known ?? undefined;
    const name = this.qualifiedName(call.childForFieldName('function') ?? call);
    this.calleeNames.set(call.id, name ?? null);
    return name;
  }

  /** A call's arguments, read once however many rules look at the call. */
  callArguments(call: SyntaxNode): CallArguments {
    let shape = this.callArgumentLists.get(call.id);
    if (shape) return shape;
    const args = call.childForFieldName('arguments');
    const positional: SyntaxNode[] = [];
    let keywords: Map<string, SyntaxNode> | undefined;
    let unpacked = false;
    if (args?.type === 'argument_list') {
      for (const arg of args.namedChildren) {
        const type = arg.type;
        if (type === 'keyword_argument') {
          const name = arg.childForFieldName('name')?.text;
          keywords ??= new Map();
          if (name !== undefined && !keywords.has(name)) keywords.set(name, arg);
        } else if (type === 'dictionary_splat') unpacked = true;
        else if (type !== 'comment') {
          if (type === 'list_splat') unpacked = true;
          positional.push(arg);
        }
      }
    } else if (args) {
      // A generator argument without parentheses of its own: `f(x for x in y)`.
      positional.push(args);
    }
    shape = { positional, keywords: keywords ?? NO_KEYWORDS, unpacked };
    this.callArgumentLists.set(call.id, shape);
    return shape;
  }

  /** Walks down an attribute chain without recursion: chains can be tens of thousands long. */
  private computeQualifiedName(node: SyntaxNode): string | undefined {
    const attributes: string[] = [];
    let base: SyntaxNode = node;
    for (;;) {
      if (base.type === 'attribute') {
        const object = base.childForFieldName('object');
        const attribute = base.childForFieldName('attribute');
        if (!object || !attribute) return undefined;
        attributes.push(attribute.text);
        base = object;
      } else if (base.type === 'parenthesized_expression' && base.namedChildCount === 1) base = base.namedChild(0)!;
      else break;
    }
    if (base.type !== 'identifier') return undefined;
    return [this.qualifyIdentifier(base), ...attributes.reverse()].join('.');
  }

  private qualifyIdentifier(node: SyntaxNode): string {
    const name = node.text;
    const resolved = this.scopes.resolve(name, node);
    if (resolved) {
      if (resolved.bindings.some((b) => b.kind === 'import')) return this.imports.aliases.get(name) ?? name;
      if (resolved.bindings.some((b) => b.kind === 'definition')) return `<local>.${name}`;
      return name;
    }
    if (BUILTINS.has(name)) return name;
    const star = this.imports.starModules.at(-1);
    return star && !star.startsWith('.') ? `${star}.${name}` : name;
  }
}

/** The facade a rule sees: queries about the file, and `report`. */
export class RuleContext<MessageId extends string = string> {
  constructor(
    private readonly analysis: FileAnalysis,
    private readonly rule: RuleIdentity,
    readonly options: Record<string, unknown>,
    private readonly sink: (report: RawReport) => void,
  ) {}

  /** The origins this rule asked about during the current visit, to tell what a report rests on. */
  private queriedOrigins: { node: SyntaxNode; origin: Origin }[] = [];

  /** Called by the walker before each visit. */
  beginVisit(): void {
    if (this.queriedOrigins.length > 0) this.queriedOrigins = [];
  }

  get path(): string {
    return this.analysis.path;
  }

  get source(): string {
    return this.analysis.source;
  }

  get scopes(): ScopeIndex {
    return this.analysis.scopes;
  }

  /** Whether the file's text matches `pattern` (a module-level constant: the answer is kept per file). */
  sourceMatches(pattern: RegExp): boolean {
    return this.analysis.sourceMatches(pattern);
  }

  /** Source text of line `line` (1-based). */
  lineText(line: number): string {
    return this.analysis.lines[line - 1] ?? '';
  }

  /** `sp.run` → `subprocess.run`; builtins stay bare (`eval`); undefined for non-name expressions. */
  qualifiedName(node: SyntaxNode | null | undefined): string | undefined {
    return node ? this.analysis.qualifiedName(node) : undefined;
  }

  /** The qualified name of a call's callee. */
  calleeName(call: SyntaxNode): string | undefined {
    return this.analysis.calleeName(call);
  }

  isModuleImported(module: string): boolean {
    return this.analysis.isModuleImported(module);
  }

  /** Positional arguments of a call, in order (splats included as they are). */
  positionalArguments(call: SyntaxNode): SyntaxNode[] {
    return this.analysis.callArguments(call).positional;
  }

  /** The value passed as keyword `name`, or undefined. */
  keywordArgument(call: SyntaxNode, name: string): SyntaxNode | undefined {
    return this.keywordArgumentNode(call, name)?.childForFieldName('value') ?? undefined;
  }

  /** The argument at `position`, or passed as `keyword`: how Python binds it. */
  argument(call: SyntaxNode, position: number | undefined, keyword?: string): SyntaxNode | undefined {
    if (keyword) {
      const byKeyword = this.keywordArgument(call, keyword);
      if (byKeyword) return byKeyword;
    }
    if (position === undefined) return undefined;
    const positional = this.positionalArguments(call);
    for (let i = 0; i <= position && i < positional.length; i++) {
      // After a `*args` splat, positions are unknown.
      if (positional[i].type === 'list_splat') return undefined;
    }
    return positional[position];
  }

  /** The call's keyword arguments (`name=value` nodes) by name, in source order; read once per call for every rule. */
  keywordArguments(call: SyntaxNode): ReadonlyMap<string, SyntaxNode> {
    return this.analysis.callArguments(call).keywords;
  }

  /** The keyword argument node (`name=value`) itself, for fixes that remove it. */
  keywordArgumentNode(call: SyntaxNode, name: string): SyntaxNode | undefined {
    return this.analysis.callArguments(call).keywords.get(name);
  }

  /** True when the call passes `*args` or `**kwargs`, so absent arguments may still be there. */
  hasUnpackedArguments(call: SyntaxNode): boolean {
    return this.analysis.callArguments(call).unpacked;
  }

  /** Literals, literal concatenation, interpolation-free f-strings and names bound only to those. */
  isConstant(node: SyntaxNode | null | undefined): boolean {
    return !!node && this.analysis.constants.isConstant(node);
  }

  literalValue(node: SyntaxNode | null | undefined): LiteralValue | undefined {
    return node ? this.analysis.constants.value(node) : undefined;
  }

  stringValue(node: SyntaxNode | null | undefined): string | undefined {
    const value = this.literalValue(node);
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * Where the value of `node` may come from, for a sink of `family`: a known untrusted
   * source (with the trace), an unknown origin, sanitized data, or a constant.
   */
  origin(node: SyntaxNode, family: SinkFamily): Origin {
    const origin = this.analysis.origin(node, family);
    this.queriedOrigins.push({ node, origin });
    return origin;
  }

  /** The bindings a read of this identifier may see, innermost scope first. */
  bindingsOf(identifier: SyntaxNode): Binding[] {
    return this.analysis.bindingsOf(identifier);
  }

  /**
   * The origins a report rests on: its own `origin`, or else those this rule asked about
   * inside the reported node during the current visit.
   */
  private originsBehind(descriptor: ReportDescriptor<MessageId>): Origin[] {
    if (descriptor.origin) return [descriptor.origin];
    const { node } = descriptor;
    return this.queriedOrigins
      .filter((q) => node.startIndex <= q.node.startIndex && q.node.endIndex <= node.endIndex)
      .map((q) => q.origin);
  }

  /** A whole-line edit that replaces `node`'s text with `replacement`. */
  replaceNode(node: SyntaxNode, replacement: string): FixEdit {
    return this.replaceRange(node.startIndex, node.endIndex, replacement);
  }

  /** A whole-line edit that removes one argument of a call, with its separating comma. */
  removeArgument(argument: SyntaxNode): FixEdit {
    const next = argument.nextSibling;
    const previous = argument.previousSibling;
    if (next?.type === ',')
      return this.replaceRange(
        argument.startIndex,
        next.nextSibling && next.nextSibling.type !== ')' ? next.nextSibling.startIndex : next.endIndex,
        '',
      );
    if (previous?.type === ',') return this.replaceRange(previous.startIndex, argument.endIndex, '');
    return this.replaceRange(argument.startIndex, argument.endIndex, '');
  }

  /** Replaces source `[start, end)` (UTF-16 offsets) and returns the edit as whole lines. */
  replaceRange(start: number, end: number, replacement: string): FixEdit {
    const source = this.analysis.source;
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    let lineEnd = source.indexOf('\n', Math.max(end - 1, start));
    if (lineEnd === -1) lineEnd = source.length;
    if (source[lineEnd - 1] === '\r') lineEnd -= 1;
    const startLine = lineNumberAt(source, lineStart);
    const endLine = startLine + countNewlines(source, lineStart, lineEnd);
    return {
      startLine,
      endLine,
      replacement: source.slice(lineStart, start) + replacement + source.slice(end, lineEnd),
    };
  }

  report(descriptor: ReportDescriptor<MessageId>): void {
    const origins = this.originsBehind(descriptor);
    const traced = origins.find((origin) => origin.kind === 'source');
    // Unknown only when nothing behind the report is a known source.
    const unknownOrigin = !traced && origins.some((origin) => origin.kind === 'unknown');
    const trace = descriptor.trace ?? traced?.trace;
    const template = this.rule.meta.messages[descriptor.messageId] ?? descriptor.messageId;
    const message = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => String(descriptor.data?.[key] ?? ''));
    this.sink({
      rule: this.rule,
      messageId: descriptor.messageId,
      node: descriptor.node,
      message,
      severity: descriptor.severity ?? this.rule.meta.severity,
      confidence: descriptor.confidence ?? this.rule.meta.confidence,
      ...(descriptor.fix ? { fix: descriptor.fix } : {}),
      ...(trace && trace.length > 0 ? { trace } : {}),
      ...(unknownOrigin ? { unknownOrigin: true } : {}),
    });
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function lineNumberAt(text: string, index: number): number {
  return countNewlines(text, 0, index) + 1;
}
