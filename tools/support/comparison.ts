import type Parser from 'tree-sitter';
import type { AnyRule } from '../../src/engine/rule.js';
import { STATEMENT_CLAUSES } from '../../src/engine/suppressions.js';
import { walkTree } from '../../src/engine/walk.js';

/** One Ruff diagnostic, reduced to what the comparison needs (1-based lines). */
export interface RuffFinding {
  code: string;
  file: string;
  line: number;
  endLine: number;
  message: string;
  /** Which of Ruff's rule sets produced it. */
  sets: Set<RuffRuleSet>;
}

export type RuffRuleSet = 'stable' | 'preview';

export interface WardenFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

/**
 * For each line of a file, the line range of the innermost statement on it: the whole statement
 * for simple ones, only the header (`def f(...):`, `except X:`) for compound ones. Two tools
 * that report the same problem often point at different parts of one statement.
 */
export type StatementRanges = Map<number, [number, number]>;

export function statementRanges(root: Parser.SyntaxNode): StatementRanges {
  const ranges: StatementRanges = new Map();
  walkTree(root, {
    enter(cursor) {
      const node = cursor.currentNode;
      const parentType = node.parent?.type;
      if (parentType === 'module' || parentType === 'block' || STATEMENT_CLAUSES.has(node.type)) {
        const start = node.startPosition.row + 1;
        const body = node.namedChildren.find((child) => child.type === 'block');
        const end = body ? Math.max(start, body.startPosition.row) : node.endPosition.row + 1;
        // Visited outside-in, so an inner statement overwrites the lines of the one around it.
        for (let line = start; line <= end; line++) ranges.set(line, [start, end]);
      }
    },
  });
  return ranges;
}

export interface FileComparison {
  file: string;
  ruff: RuffFinding[];
  warden: WardenFinding[];
  statements: StatementRanges;
}

export interface Classified {
  /** Ruff findings, each with the Warden findings that match it. */
  ruff: { finding: RuffFinding; matchedBy: WardenFinding[] }[];
  /** Warden findings of rules with Ruff equivalents that match no Ruff finding. */
  wardenOnly: WardenFinding[];
  /** Findings of rules that list no Ruff code. */
  wardenWithoutEquivalent: WardenFinding[];
}

/**
 * Pairs Ruff's findings with Warden's: same file, a Warden rule whose `meta.equivalents.ruff`
 * lists the Ruff code, and the same statement.
 */
export function classify(files: FileComparison[], rules: readonly AnyRule[]): Classified {
  const ruffCodesOf = new Map(rules.map((rule) => [rule.id, new Set(rule.meta.equivalents.ruff ?? [])]));
  const result: Classified = { ruff: [], wardenOnly: [], wardenWithoutEquivalent: [] };
  for (const { ruff, warden, statements } of files) {
    const rangeOf = (line: number): [number, number] => statements.get(line) ?? [line, line];
    const sameStatement = (r: RuffFinding, w: WardenFinding) => {
      const [ruffStart, ruffEnd] = rangeOf(r.line);
      const [wardenStart, wardenEnd] = rangeOf(w.line);
      return (
        (w.line >= ruffStart && w.line <= ruffEnd) ||
        (r.line >= wardenStart && r.line <= wardenEnd) ||
        (w.line >= r.line && w.line <= r.endLine)
      );
    };
    const matched = new Set<WardenFinding>();
    for (const finding of ruff) {
      const matchedBy = warden.filter((w) => ruffCodesOf.get(w.ruleId)?.has(finding.code) && sameStatement(finding, w));
      for (const w of matchedBy) matched.add(w);
      result.ruff.push({ finding, matchedBy });
    }
    for (const w of warden) {
      if ((ruffCodesOf.get(w.ruleId)?.size ?? 0) === 0) result.wardenWithoutEquivalent.push(w);
      else if (!matched.has(w)) result.wardenOnly.push(w);
    }
  }
  return result;
}

export interface CorpusSummary {
  name: string;
  root: string;
  files: number;
  lines: number;
  bytes: number;
  /** Files Ruff could not parse (it reports only the syntax errors for them). */
  ruffUnparsable: number;
  /** Files the engine skipped or could only partly parse. */
  wardenSkipped: number;
  wardenPartlyParsed: number;
}

/** A rule that threw on a file (the engine keeps the other rules' findings). */
export interface RuleFailure {
  ruleId: string;
  file: string;
  message: string;
}

export interface ComparisonReport {
  command: string;
  ruffVersion: string;
  date: string;
  corpora: CorpusSummary[];
  rules: readonly AnyRule[];
  classified: Classified;
  differences: ReadonlyMap<string, string>;
  ruffRuleNames: ReadonlyMap<string, string>;
  /** Ruff rule names that could not be turned into an `S` code. */
  unmappedRuffNames: string[];
  seconds: { ruff: number; warden: number };
  ruleErrors: RuleFailure[];
}

interface CodeTally {
  code: string;
  stable: number;
  preview: number;
  both: number;
  ruffOnly: number;
  wardenOnly: number;
}

export interface Share {
  set: RuffRuleSet;
  total: number;
  alsoReported: number;
  deliberate: number;
  share: number;
}

export const SHARE_TARGET = 0.95;

/** (Ruff findings Warden also reports + those under a documented difference) / all Ruff findings. */
export function shares(report: Pick<ComparisonReport, 'classified' | 'differences'>): Share[] {
  return (['stable', 'preview'] as const).map((set) => {
    const inSet = report.classified.ruff.filter(({ finding }) => finding.sets.has(set));
    const alsoReported = inSet.filter(({ matchedBy }) => matchedBy.length > 0).length;
    const deliberate = inSet.filter(
      ({ finding, matchedBy }) => matchedBy.length === 0 && report.differences.has(finding.code),
    ).length;
    return {
      set,
      total: inSet.length,
      alsoReported,
      deliberate,
      share: inSet.length === 0 ? 1 : (alsoReported + deliberate) / inSet.length,
    };
  });
}

function tallies(report: ComparisonReport): CodeTally[] {
  const byCode = new Map<string, CodeTally>();
  const tally = (code: string) => {
    let entry = byCode.get(code);
    if (!entry) byCode.set(code, (entry = { code, stable: 0, preview: 0, both: 0, ruffOnly: 0, wardenOnly: 0 }));
    return entry;
  };
  for (const { finding, matchedBy } of report.classified.ruff) {
    const entry = tally(finding.code);
    if (finding.sets.has('stable')) entry.stable++;
    if (finding.sets.has('preview')) entry.preview++;
    if (matchedBy.length > 0) entry.both++;
    else entry.ruffOnly++;
  }
  const firstRuffCode = new Map(report.rules.map((rule) => [rule.id, rule.meta.equivalents.ruff?.[0]]));
  for (const finding of report.classified.wardenOnly) {
    const code = firstRuffCode.get(finding.ruleId);
    if (code) tally(code).wardenOnly++;
  }
  for (const rule of report.rules) for (const code of rule.meta.equivalents.ruff ?? []) tally(code);
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** The Ruff codes whose unexplained findings keep the share down, most findings first. */
export function topGaps(report: ComparisonReport): { code: string; unexplained: number }[] {
  return tallies(report)
    .filter((t) => t.ruffOnly > 0 && !report.differences.has(t.code))
    .map((t) => ({ code: t.code, unexplained: t.ruffOnly }))
    .sort((a, b) => b.unexplained - a.unexplained || a.code.localeCompare(b.code));
}

const UNEXPLAINED_EXAMPLES = 8;
const EXPLAINED_EXAMPLES = 3;

export function renderComparison(report: ComparisonReport): string {
  const rulesByCode = new Map<string, string[]>();
  for (const rule of report.rules) {
    for (const code of rule.meta.equivalents.ruff ?? [])
      rulesByCode.set(code, [...(rulesByCode.get(code) ?? []), rule.id]);
  }
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const lines: string[] = [
    "# Warden compared with Ruff's `S` (flake8-bandit) rules",
    '',
    `> Produced by \`${report.command}\` on ${report.date} with Ruff ${report.ruffVersion} (\`@astral-sh/ruff-wasm-nodejs\`) and the ${report.rules.length} rules registered in Warden at the time. Re-run it after changing rules.`,
    '',
    "Ruff runs twice, with its stable `S` rules and with preview rules enabled (which adds the `S4xx` import rules and changes some others). Warden runs every registered rule. A Ruff finding counts as **also reported** when Warden has a finding in the same file and statement from a rule whose `meta.equivalents.ruff` lists the Ruff code (suppressed findings included: the comparison is about detection). A Ruff finding Warden does not make counts as **deliberate** when its code has a documented reason: a row in `tools/data/ruff-differences.ts`, or else the decision recorded for the Bandit check of the same number (`tools/data/bandit-decisions-*.ts`; Ruff's `S` codes reuse Bandit's numbers).",
    '',
    '## Corpora',
    '',
    '| Corpus | Root | Python files | Lines | Size | Ruff could not parse | Warden skipped | Warden parsed with errors |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const corpus of report.corpora) {
    lines.push(
      `| ${corpus.name} | \`${corpus.root}\` | ${corpus.files} | ${corpus.lines.toLocaleString('en-US')} | ${(corpus.bytes / 1024 / 1024).toFixed(1)} MB | ${corpus.ruffUnparsable} | ${corpus.wardenSkipped} | ${corpus.wardenPartlyParsed} |`,
    );
  }
  lines.push(
    '',
    `CPU time: Ruff (both rule sets) ${report.seconds.ruff.toFixed(1)} s, Warden ${report.seconds.warden.toFixed(1)} s.`,
    '',
  );

  lines.push('## Share of Ruff findings accounted for', '', `Target: at least ${percent(SHARE_TARGET)}.`, '');
  lines.push(
    '| Ruff rules | Ruff findings | also reported by Warden | deliberate difference | unexplained | share |',
    '|---|---|---|---|---|---|',
  );
  for (const share of shares(report)) {
    const unexplained = share.total - share.alsoReported - share.deliberate;
    lines.push(
      `| ${share.set} | ${share.total} | ${share.alsoReported} | ${share.deliberate} | ${unexplained} | **${percent(share.share)}** |`,
    );
  }
  lines.push('');
  if (report.unmappedRuffNames.length > 0) {
    lines.push(
      `Ruff rule names without a known \`S\` code (counted under their name): ${report.unmappedRuffNames.map((n) => `\`${n}\``).join(', ')}.`,
      '',
    );
  }

  lines.push('## By Ruff code', '');
  lines.push(
    '"Ruff" counts findings per rule set (stable / preview); the other columns count the union of both. "Only Warden" counts Warden findings of the rules listed that match no Ruff finding, under the first Ruff code the rule lists.',
    '',
    '| Ruff code | Warden rules | Ruff (stable / preview) | both | only Ruff | only Warden | Why Warden differs |',
    '|---|---|---|---|---|---|---|',
  );
  for (const t of tallies(report)) {
    const name = report.ruffRuleNames.get(t.code);
    const code = name ? `[${t.code}](https://docs.astral.sh/ruff/rules/${name}/)` : t.code;
    const rules = (rulesByCode.get(t.code) ?? []).map((id) => `[\`${id}\`](rules/${id}.md)`).join(', ') || '—';
    const difference = report.differences.get(t.code) ?? (t.ruffOnly > 0 ? '**unexplained**' : '');
    lines.push(
      `| ${code} | ${rules} | ${t.stable} / ${t.preview} | ${t.both} | ${t.ruffOnly} | ${t.wardenOnly} | ${difference.replace(/\|/g, '\\|')} |`,
    );
  }
  lines.push('');

  const gaps = topGaps(report);
  lines.push('## Ruff findings Warden does not make', '');
  lines.push(
    gaps.length === 0
      ? 'Every one is under a documented difference.'
      : `Unexplained, most first: ${gaps.map((gap) => `${gap.code} (${gap.unexplained})`).join(', ')}. Examples of each code follow, the explained ones too, so that the reasons can be checked against real code.`,
    '',
  );
  for (const t of tallies(report).filter((tally) => tally.ruffOnly > 0)) {
    const explained = report.differences.has(t.code);
    const examples = report.classified.ruff.filter(
      ({ finding, matchedBy }) => finding.code === t.code && matchedBy.length === 0,
    );
    lines.push(`### ${t.code}: ${t.ruffOnly} ${explained ? 'under a documented difference' : '**unexplained**'}`, '');
    for (const { finding } of examples.slice(0, explained ? EXPLAINED_EXAMPLES : UNEXPLAINED_EXAMPLES)) {
      lines.push(`- \`${finding.file}:${finding.line}\` ${finding.message}`);
    }
    lines.push('');
  }

  if (report.ruleErrors.length > 0) {
    lines.push(
      '## Rules that failed',
      '',
      'These files were only partly checked: the rule threw and the engine went on without it.',
      '',
    );
    for (const failure of report.ruleErrors.slice(0, 20))
      lines.push(`- \`${failure.ruleId}\` on \`${failure.file}\`: ${failure.message}`);
    if (report.ruleErrors.length > 20) lines.push(`- … and ${report.ruleErrors.length - 20} more`);
    lines.push('');
  }

  lines.push('## Warden findings Ruff does not make', '');
  const byRule = new Map<string, WardenFinding[]>();
  for (const finding of [...report.classified.wardenOnly, ...report.classified.wardenWithoutEquivalent]) {
    byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  }
  if (byRule.size === 0) lines.push('None.', '');
  else {
    lines.push('| Warden rule | Ruff codes it maps to | findings | examples |', '|---|---|---|---|');
    for (const [ruleId, findings] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
      const codes = report.rules.find((rule) => rule.id === ruleId)?.meta.equivalents.ruff?.join(', ') || 'none';
      const examples = findings
        .slice(0, 3)
        .map((f) => `\`${f.file}:${f.line}\``)
        .join(', ');
      lines.push(`| [\`${ruleId}\`](rules/${ruleId}.md) | ${codes} | ${findings.length} | ${examples} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
