import type { RuleIdentity, Suppression, SyntaxNode } from './types.js';

/**
 * Inline suppressions, handled in one place for every rule:
 * `# warden: ignore`, `# warden: ignore[rule-id, …]`, Bandit's `# nosec` / `# nosec B602, B607`
 * and Ruff's `# noqa: S602` on a line of the statement, and `# warden: ignore-next-line[rule-id]`
 * on the line above it (for statements whose lines leave no room for a trailing comment). A bare `# noqa` is not honoured: it usually silences style
 * checks, and letting it hide security findings would surprise the team that wrote it.
 */
interface Directive {
  kind: Suppression['kind'];
  /** Empty means every rule. */
  codes: string[];
  comment: string;
  /** Where the comment is. */
  line: number;
}

const WARDEN = /#\s*warden\s*:\s*ignore(?!-next-line)\b(?:\[([^\]]*)\])?/i;
const WARDEN_NEXT_LINE = /#\s*warden\s*:\s*ignore-next-line\b(?:\[([^\]]*)\])?/i;
const NOSEC = /#\s*nosec\b:?([ \t]*[A-Za-z]\d{3}(?:[ \t]*,[ \t]*[A-Za-z]\d{3})*)?/i;
const NOQA = /#\s*noqa\s*:\s*([A-Z]+\d+(?:[\s,]+[A-Z]+\d+)*)/i;

function codesOf(list: string | undefined): string[] {
  return (list ?? '')
    .split(/[\s,]+/)
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
}

function parseComment(text: string, line: number): Directive[] {
  const directives: Directive[] = [];
  const warden = WARDEN.exec(text);
  if (warden) directives.push({ kind: 'warden', codes: codesOf(warden[1]), comment: warden[0], line });
  const nosec = NOSEC.exec(text);
  if (nosec) directives.push({ kind: 'nosec', codes: codesOf(nosec[1]), comment: nosec[0], line });
  const noqa = NOQA.exec(text);
  if (noqa) directives.push({ kind: 'noqa', codes: codesOf(noqa[1]), comment: noqa[0], line });
  return directives;
}

/** Clauses that head a block of their own inside a compound statement. */
export const STATEMENT_CLAUSES: ReadonlySet<string> = new Set([
  'elif_clause',
  'else_clause',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'case_clause',
]);

/** Lines (1-based, inclusive) of the statement that holds `node`; a compound statement counts its header only. */
export function statementLines(node: SyntaxNode): [number, number] {
  let statement = node;
  while (
    statement.parent &&
    statement.parent.type !== 'module' &&
    statement.parent.type !== 'block' &&
    !STATEMENT_CLAUSES.has(statement.type)
  ) {
    statement = statement.parent;
  }
  const start = statement.startPosition.row + 1;
  const body = statement.namedChildren.find((c) => c.type === 'block');
  if (body && node.startIndex < body.startIndex) {
    const headerEnd = (body.previousSibling ?? body).endPosition.row + 1;
    return [start, Math.max(start, headerEnd)];
  }
  return [
    Math.min(start, node.startPosition.row + 1),
    Math.max(statement.endPosition.row + 1, node.endPosition.row + 1),
  ];
}

export class SuppressionIndex {
  private readonly byLine = new Map<number, Directive[]>();

  addComment(comment: SyntaxNode): void {
    const text = comment.text;
    if (!/warden|nosec|noqa/i.test(text)) return;
    const line = comment.startPosition.row + 1;
    this.add(line, parseComment(text, line));
    const nextLine = WARDEN_NEXT_LINE.exec(text);
    if (nextLine) this.add(line + 1, [{ kind: 'warden', codes: codesOf(nextLine[1]), comment: nextLine[0], line }]);
  }

  /** Directives that apply to the statement holding `line`. */
  private add(line: number, directives: Directive[]): void {
    if (directives.length > 0) this.byLine.set(line, [...(this.byLine.get(line) ?? []), ...directives]);
  }

  /** The directive that silences `rule` at `node`, if any. */
  find(rule: RuleIdentity, node: SyntaxNode): Suppression | undefined {
    if (this.byLine.size === 0) return undefined;
    const [start, end] = statementLines(node);
    for (let line = start; line <= end; line++) {
      for (const directive of this.byLine.get(line) ?? []) {
        if (matches(directive, rule)) return { kind: directive.kind, comment: directive.comment, line: directive.line };
      }
    }
    return undefined;
  }
}

function matches(directive: Directive, rule: RuleIdentity): boolean {
  const { bandit = [], ruff = [] } = rule.meta.equivalents;
  switch (directive.kind) {
    case 'warden':
      return (
        directive.codes.length === 0 ||
        directive.codes.some((code) => code === rule.id.toUpperCase() || bandit.includes(code) || ruff.includes(code))
      );
    case 'nosec':
      return directive.codes.length === 0 || directive.codes.some((code) => bandit.includes(code));
    case 'noqa':
      return directive.codes.some((code) => ruff.includes(code));
  }
}

/**
 * The directive in one comment of text without a syntax tree (a template's `{# … #}`) that
 * silences `rule` on `line`: a directive on that line, or `warden: ignore-next-line` on the one above.
 */
export function commentSuppression(
  text: string,
  commentLine: number,
  line: number,
  rule: RuleIdentity,
): Suppression | undefined {
  const directives = commentLine === line ? parseComment(text, commentLine) : [];
  const nextLine = commentLine + 1 === line ? WARDEN_NEXT_LINE.exec(text) : null;
  if (nextLine)
    directives.push({ kind: 'warden', codes: codesOf(nextLine[1]), comment: nextLine[0], line: commentLine });
  const found = directives.find((directive) => matches(directive, rule));
  return found && { kind: found.kind, comment: found.comment, line: found.line };
}
