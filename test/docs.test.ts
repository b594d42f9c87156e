import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scanSource } from '../src/engine/index.js';
import { banditChecks } from '../src/rules/data/bandit-checks.js';
import { allRules } from '../src/rules/index.js';
import { loadBanditDecisions } from '../src/tools/support/load-bandit-decisions.js';
import { banditCoverage, renderDocs, RULE_DOCS_DIR, type DocsInput } from '../src/tools/support/render-docs.js';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const STALE = 'docs are out of date: run `npm run docs`';

async function docsInput(): Promise<DocsInput> {
  return { rules: allRules, banditChecks, banditDecisions: await loadBanditDecisions() };
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
    expect(coverage.rows.map((row) => row.check.code)).toEqual(expect.arrayContaining(['B101', 'B301', 'B323', 'B401', 'B415', 'B704']));
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
    const input: DocsInput = { rules: [], banditChecks, banditDecisions: [{ code: 'B999', decision: 'not-reported', reason: 'typo' }] };
    expect(banditCoverage(input).problems).toEqual([expect.stringContaining('B999')]);
  });
});

describe.each(allRules.map((rule) => [rule.id, rule] as const))('%s documentation examples', (id, rule) => {
  it('reports its insecure example', () => {
    expect(reportedBy(id, rule.meta.docs.example).length).toBeGreaterThan(0);
  });

  it('reports nothing in the secure code it recommends', () => {
    const blocks = [...rule.meta.docs.fix.matchAll(/```python\n([\s\S]*?)```/g)].map((match) => match[1]!);
    for (const block of blocks) expect({ block, findings: reportedBy(id, block).map((f) => f.message) }).toEqual({ block, findings: [] });
  });
});
