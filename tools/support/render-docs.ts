import type { AnyRule, InvalidCase, ValidCase } from '../../src/engine/rule.js';
import { CATEGORIES } from '../../src/engine/types.js';
import type { BanditCheck, BanditDecision } from '../data/bandit-checks.js';
import { ruffRuleUrl } from './ruff-rules.js';

/** A rule as its page needs it; a rule that reads no Python says where it lives and what it reads. */
export type DocumentedRule = Pick<AnyRule, 'id' | 'meta' | 'tests'> & {
  /** The rule's source file (default `src/rules/<category>/<id>.ts`). */
  source?: string;
  /** The test that holds the rule to its cases (default `test/rules.test.ts`). */
  harness?: string;
  /** The language of its examples (default `python`). */
  language?: string;
};

export interface DocsInput {
  rules: readonly DocumentedRule[];
  banditChecks: readonly BanditCheck[];
  banditDecisions: readonly BanditDecision[];
}

export type CoverageStatus = 'covered' | 'narrower' | 'not reported' | 'removed from Bandit' | 'gap';

export interface BanditCoverageRow {
  check: BanditCheck;
  ruleIds: string[];
  status: CoverageStatus;
  reason?: string;
}

export interface BanditCoverage {
  rows: BanditCoverageRow[];
  /** Inconsistencies in the inputs, such as a decision for a code Bandit does not have. */
  problems: string[];
}

/** Where the generated files go, relative to the repository root. */
export const RULE_DOCS_DIR = 'docs/rules';
export const RULES_INDEX = `${RULE_DOCS_DIR}/README.md`;

const GENERATED_NOTICE = 'Generated from the rule metadata by `npm run docs`; do not edit by hand.';

/** Renders every generated documentation file, keyed by path relative to the repository root. */
export function renderDocs(input: DocsInput): Map<string, string> {
  const checksByCode = new Map(input.banditChecks.map((check) => [check.code, check]));
  const files = new Map<string, string>();
  for (const rule of [...input.rules].sort((a, b) => a.id.localeCompare(b.id))) {
    files.set(`${RULE_DOCS_DIR}/${rule.id}.md`, renderRuleDoc(rule, checksByCode));
  }
  files.set(RULES_INDEX, renderRulesIndex(input));
  return files;
}

/** For every Bandit check: the rules that list it, or the decision taken about it. */
export function banditCoverage(input: DocsInput): BanditCoverage {
  const problems: string[] = [];
  const known = new Set(input.banditChecks.map((check) => check.code));
  const rulesByCode = new Map<string, string[]>();
  for (const rule of input.rules) {
    for (const code of rule.meta.equivalents.bandit ?? []) {
      if (!known.has(code))
        problems.push(`rule ${rule.id} lists ${code}, which is not a Bandit check (see tools/data/bandit-checks.ts)`);
      rulesByCode.set(code, [...(rulesByCode.get(code) ?? []), rule.id]);
    }
  }
  const decisionsByCode = new Map<string, BanditDecision[]>();
  for (const decision of input.banditDecisions) {
    if (!known.has(decision.code)) problems.push(`a decision row names ${decision.code}, which is not a Bandit check`);
    decisionsByCode.set(decision.code, [...(decisionsByCode.get(decision.code) ?? []), decision]);
  }

  const rows = input.banditChecks.map((check): BanditCoverageRow => {
    const ruleIds = (rulesByCode.get(check.code) ?? []).sort();
    const decisions = decisionsByCode.get(check.code) ?? [];
    const reason = decisions.length > 0 ? decisions.map((d) => d.reason).join(' ') : check.removedFromBandit;
    const narrower = decisions.some((d) => d.decision === 'narrower');
    if (ruleIds.length > 0 && decisions.some((d) => d.decision === 'not-reported')) {
      problems.push(`${check.code} is decided "not-reported" but rule(s) ${ruleIds.join(', ')} list it`);
    }
    // A "narrower" decision may name a rule that does not list the code (an SSRF rule that
    // reports only some `urlopen` calls should not claim Bandit's audit of all of them).
    let status: CoverageStatus;
    if (ruleIds.length > 0) status = narrower ? 'narrower' : 'covered';
    else if (decisions.length > 0) status = narrower ? 'narrower' : 'not reported';
    else if (check.removedFromBandit) status = 'removed from Bandit';
    else status = 'gap';
    return { check, ruleIds, status, ...(reason ? { reason } : {}) };
  });
  return { rows, problems };
}

function renderRulesIndex(input: DocsInput): string {
  const lines: string[] = ['# Warden rules', '', `> ${GENERATED_NOTICE}`, ''];
  const categories = CATEGORIES.filter((category) => input.rules.some((rule) => rule.meta.category === category));
  lines.push(
    `${plural(input.rules.length, 'rule')} in ${plural(categories.length, 'category', 'categories')}. Each rule has a page with its rationale, examples and the test cases it is held to.`,
    '',
  );
  for (const category of categories) {
    lines.push(`## ${category}`, '');
    lines.push('| Rule | Finds | Severity | Confidence | CWE | Bandit | Ruff |', '|---|---|---|---|---|---|---|');
    const rules = input.rules
      .filter((rule) => rule.meta.category === category)
      .sort((a, b) => a.id.localeCompare(b.id));
    for (const rule of rules) {
      const { meta } = rule;
      lines.push(
        tableRow([
          `[\`${rule.id}\`](${rule.id}.md)`,
          meta.title,
          meta.severity,
          meta.confidence,
          meta.cwe.map((cwe) => `CWE-${cwe}`).join(', '),
          (meta.equivalents.bandit ?? []).join(', '),
          (meta.equivalents.ruff ?? []).join(', '),
        ]),
      );
    }
    lines.push('');
  }

  const coverage = banditCoverage(input);
  const counts = new Map<CoverageStatus, number>();
  for (const row of coverage.rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  const summary = (['covered', 'narrower', 'not reported', 'removed from Bandit', 'gap'] as const)
    .map((status) => `${counts.get(status) ?? 0} ${status}`)
    .join(', ');
  lines.push(
    '## Bandit coverage',
    '',
    'Every Bandit check, including the blocklisted calls (B3xx) and imports (B4xx), with the Warden rules that list it in `meta.equivalents.bandit`, or the decision taken instead. Decisions live in `tools/data/bandit-decisions-*.ts`; the list of checks in `tools/data/bandit-checks.ts`.',
    '',
    '- **covered**: a Warden rule reports what the Bandit check reports.',
    '- **narrower**: Warden reports a deliberately smaller set of cases; the reason says which.',
    '- **not reported**: Warden deliberately has no rule for it; the reason says why.',
    '- **removed from Bandit**: Bandit itself no longer runs the check.',
    '- **gap**: no rule and no decision yet.',
    '',
    `${coverage.rows.length} checks: ${summary}.`,
    '',
    '| Bandit | Check | Warden rules | Status | Reason |',
    '|---|---|---|---|---|',
  );
  for (const row of coverage.rows) {
    lines.push(
      tableRow([
        `[${row.check.code}](${banditCheckUrl(row.check)})`,
        `\`${row.check.name}\``,
        row.ruleIds.map((id) => `[\`${id}\`](${id}.md)`).join(', '),
        row.status === 'gap' ? '**gap**' : row.status,
        row.reason ?? '',
      ]),
    );
  }
  lines.push('');
  return lines.join('\n');
}

function renderRuleDoc(rule: DocumentedRule, checksByCode: ReadonlyMap<string, BanditCheck>): string {
  const { meta } = rule;
  const codeBlock = (code: string) => fencedBlock(code, rule.language ?? 'python');
  const lines: string[] = [
    `# ${meta.title} (\`${rule.id}\`)`,
    '',
    `> ${GENERATED_NOTICE} Source: \`${rule.source ?? `src/rules/${meta.category}/${rule.id}.ts`}\`.`,
    '',
  ];
  lines.push('| | |', '|---|---|');
  lines.push(tableRow(['Rule id', `\`${rule.id}\``]));
  lines.push(tableRow(['Category', `[${meta.category}](README.md#${meta.category})`]));
  lines.push(tableRow(['Default severity', meta.severity]));
  lines.push(tableRow(['Default confidence', meta.confidence]));
  lines.push(
    tableRow([
      'CWE',
      meta.cwe.map((cwe) => `[CWE-${cwe}](https://cwe.mitre.org/data/definitions/${cwe}.html)`).join(', '),
    ]),
  );
  const bandit = (meta.equivalents.bandit ?? []).map((code) => {
    const check = checksByCode.get(code);
    return check ? `[${code}](${banditCheckUrl(check)}) \`${check.name}\`` : code;
  });
  lines.push(tableRow(['Bandit', bandit.join(', ') || 'none']));
  const ruff = (meta.equivalents.ruff ?? []).map((code) => {
    const url = ruffRuleUrl(code);
    return url ? `[${code}](${url})` : code;
  });
  lines.push(tableRow(['Ruff', ruff.join(', ') || 'none']));
  if (meta.equivalents.semgrep?.length)
    lines.push(tableRow(['Semgrep', meta.equivalents.semgrep.map((id) => `\`${id}\``).join(', ')]));
  lines.push('');

  lines.push('## What it does', '');
  lines.push(`Reports ${lowerFirst(meta.title)}. Its messages:`, '');
  for (const template of Object.values<string>(meta.messages)) lines.push(`- ${renderTemplate(template)}`);
  lines.push('');
  lines.push('## Why is this bad?', '', meta.docs.why.trim(), '');
  lines.push('## Example', '', ...codeBlock(meta.docs.example), '');
  lines.push('## Use instead', '', meta.docs.fix.trim(), '');
  if (meta.docs.knownProblems) lines.push('## Known problems', '', meta.docs.knownProblems.trim(), '');

  const harness = rule.harness ?? 'test/rules.test.ts';
  lines.push('## Test cases', '', `The rule is held to these cases by \`${harness}\`.`, '');
  lines.push('### Reported', '');
  for (const testCase of rule.tests.invalid) lines.push(...renderInvalidCase(testCase, codeBlock), '');
  lines.push('### Not reported', '');
  for (const testCase of rule.tests.valid) lines.push(...renderValidCase(testCase, codeBlock), '');

  lines.push('## References', '');
  for (const reference of meta.docs.references) lines.push(`- <${reference}>`);
  lines.push('');
  return lines.join('\n');
}

function renderInvalidCase(testCase: InvalidCase<string>, codeBlock: (code: string) => string[]): string[] {
  const expectations = testCase.errors.map((error) => {
    const where = error.line !== undefined ? ` on line ${error.line}` : '';
    return `\`${error.messageId}\`${where}`;
  });
  const lines = [`Reports ${expectations.join(', ')}${caseSetting(testCase)}:`, '', ...codeBlock(testCase.code)];
  if (testCase.output !== undefined) lines.push('', 'After the suggested fix:', '', ...codeBlock(testCase.output));
  return lines;
}

function renderValidCase(testCase: ValidCase, codeBlock: (code: string) => string[]): string[] {
  if (typeof testCase === 'string') return codeBlock(testCase);
  const setting = caseSetting(testCase);
  return setting ? [`Not reported${setting}:`, '', ...codeBlock(testCase.code)] : codeBlock(testCase.code);
}

function caseSetting(testCase: { filename?: string; options?: Record<string, unknown> }): string {
  const parts: string[] = [];
  if (testCase.filename) parts.push(` in \`${testCase.filename}\``);
  if (testCase.options) parts.push(` with options \`${JSON.stringify(testCase.options)}\``);
  return parts.join('');
}

function fencedBlock(code: string, language: string): string[] {
  // A longer fence than any run of backticks inside keeps the block intact.
  const longestRun = Math.max(2, ...[...code.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return [`${fence}${language}`, code.replace(/\s+$/, ''), fence];
}

/** `{{fn}}` placeholders become `‹fn›`, so a reader sees where the finding's details go. */
function renderTemplate(template: string): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, '‹$1›');
}

function lowerFirst(text: string): string {
  // Keep acronyms ("SQL built from…") as they are.
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function tableRow(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
}

export function banditCheckUrl(check: BanditCheck): string {
  const base = 'https://bandit.readthedocs.io/en/latest';
  if (check.kind === 'plugin') return `${base}/plugins/${check.code.toLowerCase()}_${check.name}.html`;
  const page = check.kind === 'blocklisted-call' ? 'blacklist_calls' : 'blacklist_imports';
  return `${base}/blacklists/${page}.html#${blocklistSection(check)}`;
}

/** Sphinx's anchor for the section of Bandit's blocklist page that describes the check. */
function blocklistSection(check: BanditCheck): string {
  const number = Number(check.code.slice(1));
  if (number === 304 || number === 305) return 'b304-b305-ciphers-and-modes';
  if (number >= 313 && number <= 320) return 'b313-b320-xml';
  return `${check.code}-${check.name}`.toLowerCase().replace(/_/g, '-');
}
