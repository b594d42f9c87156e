import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanSource } from '../src/engine/index.js';
import { parsePython } from '../src/engine/parser.js';
import { banditChecks } from '../tools/data/bandit-checks.js';
import { allRules } from '../src/rules/index.js';
import { loadBanditDecisions } from '../tools/support/load-bandit-decisions.js';
import {
  classify,
  shares,
  statementRanges,
  type RuffFinding,
  type WardenFinding,
} from '../tools/support/comparison.js';
import { documentedRules } from '../tools/support/documented-rules.js';
import { banditCoverage, renderDocs, RULE_DOCS_DIR, type DocsInput } from '../tools/support/render-docs.js';
import { ruffCodeOf } from '../tools/support/ruff-rules.js';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const STALE = 'docs are out of date: run `npm run docs`';

async function docsInput(): Promise<DocsInput> {
  return { rules: documentedRules, banditChecks, banditDecisions: await loadBanditDecisions() };
}

function readDoc(path: string): string | undefined {
  try {
    return readFileSync(`${repositoryRoot}${path}`, 'utf8');
  } catch {
    return undefined;
  }
}

function reportedBy(ruleId: string, code: string) {
  const rule = allRules.find((r) => r.id === ruleId)!;
  return scanSource('example.py', code, { rules: [rule] }).findings.filter((finding) => !finding.suppressed);
}

describe('generated rule documentation', () => {
  it('matches what the generator renders from the registry', async () => {
    const files = renderDocs(await docsInput());
    const stale = [...files].filter(([path, content]) => readDoc(path) !== content).map(([path]) => path);
    expect({ message: STALE, stale }).toEqual({ message: STALE, stale: [] });
  });

  it('has no page for a rule that is not registered', async () => {
    const files = renderDocs(await docsInput());
    const pages = readdirSync(`${repositoryRoot}${RULE_DOCS_DIR}`).filter((file) => file.endsWith('.md'));
    const orphans = pages.map((file) => `${RULE_DOCS_DIR}/${file}`).filter((path) => !files.has(path));
    expect({ message: STALE, orphans }).toEqual({ message: STALE, orphans: [] });
  });

  it('accounts for every Bandit check with a rule or a written decision', async () => {
    const coverage = banditCoverage(await docsInput());
    expect(coverage.problems).toEqual([]);
    expect(coverage.rows.filter((row) => row.status === 'gap').map((row) => row.check.code)).toEqual([]);
    expect(coverage.rows.map((row) => row.check.code)).toEqual(
      expect.arrayContaining(['B101', 'B301', 'B323', 'B401', 'B415', 'B704']),
    );
  });

  it('renders an unexplained Bandit check as a gap and a decision as its reason', () => {
    const input: DocsInput = {
      rules: [],
      banditChecks: banditChecks.filter((check) => ['B101', 'B102'].includes(check.code)),
      banditDecisions: [{ code: 'B101', decision: 'not-reported', reason: 'Asserts are not access control here.' }],
    };
    const rows = banditCoverage(input).rows;
    expect(rows.map((row) => [row.check.code, row.status, row.reason])).toEqual([
      ['B101', 'not reported', 'Asserts are not access control here.'],
      ['B102', 'gap', undefined],
    ]);
    expect(renderDocs(input).get(`${RULE_DOCS_DIR}/README.md`)).toContain('| **gap** |');
  });

  it('flags a decision for a code Bandit does not have', () => {
    const input: DocsInput = {
      rules: [],
      banditChecks,
      banditDecisions: [{ code: 'B999', decision: 'not-reported', reason: 'typo' }],
    };
    expect(banditCoverage(input).problems).toEqual([expect.stringContaining('B999')]);
  });
});

describe.each(allRules.map((rule) => [rule.id, rule] as const))('%s documentation examples', (id, rule) => {
  it('reports its insecure example', () => {
    expect(reportedBy(id, rule.meta.docs.example).length).toBeGreaterThan(0);
  });

  it('reports nothing in the secure code it recommends', () => {
    const blocks = [...rule.meta.docs.fix.matchAll(/```python\n([\s\S]*?)```/g)].map((match) => match[1]);
    for (const block of blocks)
      expect({ block, findings: reportedBy(id, block).map((f) => f.message) }).toEqual({ block, findings: [] });
  });
});

describe('comparison with Ruff (docs/COMPARISON.md)', () => {
  const source = [
    'import subprocess',
    'subprocess.run(',
    '    cmd,',
    '    shell=True,',
    ')',
    'def f(password="hunter2"):',
    '    pass',
    '',
  ].join('\n');
  const statements = statementRanges(parsePython(source, 5000).rootNode);
  const shellRule = allRules.find((rule) => rule.meta.equivalents.ruff?.includes('S602'))!;
  const ruff = (code: string, line: number): RuffFinding => ({
    code,
    file: 'a.py',
    line,
    endLine: line,
    message: code,
    sets: new Set(['stable']),
  });
  const warden = (line: number, ruleId = shellRule.id): WardenFinding => ({ ruleId, file: 'a.py', line, message: '' });

  it('gives a line the range of its statement, and a compound statement only its header', () => {
    expect(statements.get(4)).toEqual([2, 5]);
    expect(statements.get(6)).toEqual([6, 6]);
    expect(statements.get(7)).toEqual([7, 7]);
  });

  it('pairs findings of a mapped rule on the same statement and nothing else', () => {
    const onSameCall = classify([{ file: 'a.py', ruff: [ruff('S602', 2)], warden: [warden(4)], statements }], allRules);
    expect(onSameCall.ruff[0].matchedBy).toHaveLength(1);
    expect(onSameCall.wardenOnly).toEqual([]);
    const elsewhere = classify([{ file: 'a.py', ruff: [ruff('S602', 2)], warden: [warden(6)], statements }], allRules);
    expect(elsewhere.ruff[0].matchedBy).toEqual([]);
    expect(elsewhere.wardenOnly).toHaveLength(1);
    const otherCode = classify([{ file: 'a.py', ruff: [ruff('S999', 2)], warden: [warden(2)], statements }], allRules);
    expect(otherCode.ruff[0].matchedBy).toEqual([]);
  });

  it('counts a documented difference towards the share and an unexplained miss against it', () => {
    const classified = classify(
      [{ file: 'a.py', ruff: [ruff('S602', 2), ruff('S101', 6), ruff('S110', 7)], warden: [warden(3)], statements }],
      allRules,
    );
    const [stable] = shares({ classified, differences: new Map([['S101', 'asserts are invariants']]) });
    expect(stable).toMatchObject({ total: 3, alsoReported: 1, deliberate: 1 });
    expect(stable.share).toBeCloseTo(2 / 3);
  });

  it("maps Ruff's preview rule names to codes", () => {
    expect(ruffCodeOf('subprocess-popen-with-shell-equals-true')).toBe('S602');
    expect(ruffCodeOf('suspicious-xmlc-element-tree-usage')).toBe('S313');
    expect(ruffCodeOf('not-a-rule')).toBeUndefined();
  });
});
