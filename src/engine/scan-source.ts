import type Parser from 'tree-sitter';
import { FileAnalysis, RuleContext, type RawReport } from './context.js';
import { enclosingScope, fingerprint, fingerprintGroup, tokenText } from './fingerprint.js';
import { Deadline, DeadlineExceeded } from './deadline.js';
import { parsePython, ParseTimeoutError } from './parser.js';
import type { AnyRule } from './rule.js';
import { decodePythonSource } from './source.js';
import { SuppressionIndex } from './suppressions.js';
import { SyntaxTree } from './syntax-tree.js';
import type { Finding, SyntaxNode } from './types.js';

export interface EngineOptions {
  /** The enabled rules. */
  rules: readonly AnyRule[];
  /** Per-rule options, by rule id. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** Parsing stops after this long (default 5 s). */
  parseTimeoutMs?: number;
  /** Files larger than this are skipped (default 1 MiB). */
  maxFileBytes?: number;
  /**
   * Report findings that rest on data of unknown origin (a parameter, a value from another
   * module) rather than on a traced untrusted source (default true).
   */
  reportUnknownOrigin?: boolean;
  /**
   * Data-flow analysis behind `context.origin` (default true). Off, every non-constant value
   * has an unknown origin: for measuring what taint tracking costs, and as an escape hatch.
   */
  taint?: boolean;
  /**
   * When the scan of this file must end (a `Date.now()` timestamp), parsing and rules alike.
   * Past it the walk stops and the file is reported as incomplete.
   */
  deadline?: number;
}

export interface ParseProblem {
  line: number;
  column: number;
  message: string;
}

export interface FileResult {
  path: string;
  findings: Finding[];
  /** Set when the file was not scanned at all. */
  skipped?: string;
  /** Set when the file has syntax errors; what parsed was still scanned. */
  parseError?: ParseProblem;
  /** Things the user should know about this file (decoding, …). */
  notes: string[];
  /** Rules that threw on this file; each resumed at the next statement, and its other findings still count. */
  ruleErrors: { ruleId: string; message: string }[];
  /** Set when the scan stopped before the end of the file (a deadline); findings before that point count. */
  incomplete?: string;
}

/** One way a file was not fully scanned: a rule that threw on part of it, or the whole scan cut short. */
export interface IncompletePart {
  path: string;
  /** The rule that missed part of the file; absent when every rule did. */
  ruleId?: string;
  reason: string;
}

/**
 * What a file's result leaves unscanned. A scan with any of these can never pass: a file that
 * makes a rule throw or exhausts the budget must not silence the findings it hides.
 */
export function incompleteParts(result: FileResult): IncompletePart[] {
  return [
    ...result.ruleErrors.map((error) => ({
      path: result.path,
      ruleId: error.ruleId,
      reason: `rule failed: ${error.message}; it resumed at the next statement`,
    })),
    ...(result.incomplete === undefined ? [] : [{ path: result.path, reason: result.incomplete }]),
  ];
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_PARSE_TIMEOUT_MS = 5000;

type Handler = { rule: AnyRule; context: RuleContext; visit: (node: SyntaxNode, context: RuleContext) => void };

/** What the walk does at a node of one type. */
interface NodeVisit {
  enter: Handler[] | undefined;
  exit: Handler[] | undefined;
  /** Comments hold suppressions. */
  comment: boolean;
  /** A rule that threw is resumed at the next statement. */
  statement: boolean;
}

/** A value per node type, worked out from the type's name once per type id rather than per node. */
class ByTypeId<T> {
  private readonly byId: T[] = [];
  private readonly known: boolean[] = [];

  constructor(
    private readonly syntax: SyntaxTree,
    private readonly valueOf: (type: string) => T,
  ) {}

  of(index: number): T {
    const typeId = this.syntax.types[index];
    if (this.known[typeId] !== true) {
      this.byId[typeId] = this.valueOf(this.syntax.typeName(index));
      this.known[typeId] = true;
    }
    return this.byId[typeId];
  }
}

/** Scans raw file bytes: size cap, binary detection and decoding come first. */
export function scanBytes(path: string, bytes: Uint8Array, options: EngineOptions): FileResult {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) return oversizedResult(path, bytes.length, maxBytes);
  const decoded = decodePythonSource(bytes);
  if (decoded.kind === 'binary') return { path, findings: [], skipped: 'binary file', notes: [], ruleErrors: [] };
  const result = scanSource(path, decoded.text, options);
  result.notes.unshift(...decoded.notes);
  return result;
}

/** Why a file of `size` bytes is not scanned; callers that stat before reading use it too. */
export function sizeCapReason(size: number, maxBytes: number): string {
  return `larger than the ${formatBytes(maxBytes)} size cap (${formatBytes(size)})`;
}

/**
 * The result for a file over the size cap: not scanned, and reported as incomplete rather than
 * skipped, so that padding a file past the cap cannot hide what it holds behind a passing verdict.
 * (A binary file is skipped: Python refuses source with NUL bytes, so it cannot run either.)
 */
export function oversizedResult(path: string, size: number, maxBytes: number): FileResult {
  return {
    path,
    findings: [],
    notes: [],
    ruleErrors: [],
    incomplete: `${sizeCapReason(size, maxBytes)}; nothing was scanned`,
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

/** Statements: a rule that throws is suspended until the walk enters the next one. */
function isStatement(type: string): boolean {
  return type.endsWith('_statement') || type === 'function_definition' || type === 'class_definition';
}

/** Parses one file and runs every enabled rule over it in a single walk. */
export function scanSource(path: string, source: string, options: EngineOptions): FileResult {
  const { deadline } = options;
  const timeoutMs = Math.max(
    0,
    Math.min(options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS, (deadline ?? Infinity) - Date.now()),
  );
  let tree: Parser.Tree;
  try {
    tree = parsePython(source, timeoutMs);
  } catch (error) {
    if (error instanceof ParseTimeoutError)
      return {
        path,
        findings: [],
        notes: [],
        ruleErrors: [],
        incomplete: `parsing did not finish within its ${timeoutMs} ms deadline; nothing was scanned`,
      };
    return { path, findings: [], skipped: `parser failed: ${(error as Error).message}`, notes: [], ruleErrors: [] };
  }

  const syntax = new SyntaxTree(tree, source);
  const budget = new Deadline(deadline);
  const analysis = new FileAnalysis(path, source, syntax, options.taint !== false, budget);
  const reports: RawReport[] = [];
  const ruleErrors = new Map<string, { first: string; count: number }>();
  const suppressions = new SuppressionIndex();
  const onEnter = new Map<string, Handler[]>();
  const onExit = new Map<string, Handler[]>();

  for (const rule of options.rules) {
    const context = new RuleContext(analysis, rule, options.ruleOptions?.[rule.id] ?? {}, (report) =>
      reports.push(report),
    );
    for (const [key, visit] of Object.entries(rule.visitors)) {
      if (!visit) continue;
      const [type, phase] = key.split(':') as [string, string | undefined];
      const table = phase === 'exit' ? onExit : onEnter;
      const handler: Handler = { rule, context, visit: visit };
      const list = table.get(type);
      if (list) list.push(handler);
      else table.set(type, [handler]);
    }
  }

  // A rule that throws misses the rest of that statement, not the rest of the file.
  const suspended = new Set<AnyRule>();
  let visiting: SyntaxNode | undefined;
  const dispatch = (handlers: Handler[], node: SyntaxNode) => {
    visiting = node;
    for (const handler of handlers) {
      if (suspended.size > 0 && suspended.has(handler.rule)) continue;
      try {
        handler.context.beginVisit();
        handler.visit(node, handler.context);
      } catch (error) {
        if (error instanceof DeadlineExceeded) throw error;
        suspended.add(handler.rule);
        const earlier = ruleErrors.get(handler.rule.id);
        if (earlier) earlier.count++;
        else
          ruleErrors.set(handler.rule.id, {
            first: `${(error as Error).message} (at line ${node.startPosition.row + 1})`,
            count: 1,
          });
      }
    }
  };

  // Nodes in walk order: enter handlers run parents before children, and exit handlers run when
  // the walk has passed a node's last descendant. A node object is only made when a rule wants it.
  const visits = new ByTypeId(syntax, (type): NodeVisit | undefined => {
    const enter = onEnter.get(type);
    const exit = onExit.get(type);
    const comment = type === 'comment';
    const statement = isStatement(type);
    return enter || exit || comment || statement ? { enter, exit, comment, statement } : undefined;
  });
  const { subtreeEnds, nodeCount } = syntax;
  const pendingExits: number[] = [];
  const exitPassed = (before: number) => {
    while (pendingExits.length > 0 && subtreeEnds[pendingExits.at(-1)!] <= before) {
      const index = pendingExits.pop()!;
      dispatch(visits.of(index)!.exit!, syntax.node(index));
    }
  };
  let incomplete: string | undefined;
  try {
    for (let index = 0; index < nodeCount; index++) {
      budget.check();
      if (pendingExits.length > 0) exitPassed(index);
      const visit = visits.of(index);
      if (visit === undefined) continue;
      if (visit.statement && suspended.size > 0) suspended.clear();
      if (visit.comment) suppressions.addComment(syntax.node(index));
      if (visit.enter) dispatch(visit.enter, syntax.node(index));
      if (visit.exit) pendingExits.push(index);
    }
    exitPassed(nodeCount);
  } catch (error) {
    if (!(error instanceof DeadlineExceeded)) throw error;
    const line = visiting ? visiting.startPosition.row + 1 : 1;
    incomplete = `the time budget ran out at line ${line}; the rest of the file was not scanned`;
  }

  const reported = options.reportUnknownOrigin === false ? reports.filter((report) => !report.unknownOrigin) : reports;
  const findings = toFindings(path, reported, suppressions);
  const result: FileResult = {
    path,
    findings,
    notes: [],
    ruleErrors: [...ruleErrors].map(([ruleId, { first, count }]) => ({
      ruleId,
      message: count === 1 ? first : `${first}, and ${count - 1} more times`,
    })),
  };
  if (incomplete !== undefined) result.incomplete = incomplete;
  if (syntax.rootNode.hasError) result.parseError = firstSyntaxError(syntax.rootNode);
  return result;
}

function toFindings(path: string, reports: RawReport[], suppressions: SuppressionIndex): Finding[] {
  const seen = new Set<string>();
  const unique = reports.filter((report) => {
    const key = `${report.rule.id}:${report.node.startIndex}:${report.node.endIndex}:${report.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  unique.sort((a, b) => a.node.startIndex - b.node.startIndex || a.node.endIndex - b.node.endIndex);
  const occurrences = new Map<string, number>();
  return unique.map((report) => {
    const { rule, node } = report;
    const identity = { ruleId: rule.id, path, scope: enclosingScope(node), code: tokenText(node) };
    const key = fingerprintGroup(identity);
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    const suppressed = suppressions.find(rule, node);
    const finding: Finding = {
      ruleId: rule.id,
      messageId: report.messageId,
      title: rule.meta.title,
      category: rule.meta.category,
      cwe: rule.meta.cwe,
      severity: report.severity,
      confidence: report.confidence,
      path,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      endLine: node.endPosition.row + 1,
      endColumn: node.endPosition.column + 1,
      message: report.message,
      fingerprint: fingerprint(identity, occurrence),
    };
    if (report.fix) finding.fix = report.fix;
    if (report.trace) finding.trace = report.trace;
    if (suppressed) finding.suppressed = suppressed;
    return finding;
  });
}

function firstSyntaxError(root: SyntaxNode): ParseProblem {
  // Descend towards the first ERROR or MISSING node, skipping error-free subtrees.
  for (let node = root; ;) {
    if (node.type === 'ERROR' || node.isMissing) {
      const what = node.isMissing ? `missing ${node.type}` : 'invalid syntax';
      return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: what };
    }
    const children = node.hasError ? node.children : [];
    const next = children.find((child) => child.hasError || child.isMissing) ?? children.at(-1);
    if (!next)
      return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, message: 'invalid syntax' };
    node = next;
  }
}
