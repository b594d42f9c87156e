import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { scanSource } from '../../src/engine/index.js';
import type { AnyRule } from '../../src/engine/rule.js';
import type { Finding } from '../../src/engine/types.js';
import { escapeData, escapeProperty, renderGithubAnnotations } from '../../src/report/github-annotations.js';
import { renderJson, type ScanReport } from '../../src/report/json.js';
import { FINGERPRINT_KEY, renderSarif } from '../../src/report/sarif.js';
import { GITHUB_SARIF_LIMITS } from '../../src/report/sarif-limits.js';
import { renderText } from '../../src/report/text.js';
import { allRules } from '../../src/rules/index.js';
import { createRule } from '../../src/rules/create-rule.js';

/** A rule owned by this test, so that edits to real rules' wording do not churn the snapshots. */
const evalRule = createRule({
  id: 'eval-call',
  meta: {
    title: 'Code evaluated from a string',
    category: 'injection',
    cwe: [95],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B307'], ruff: ['S307'] },
    messages: { call: '`{{fn}}` evaluates a string as Python code' },
    docs: {
      why: 'Evaluating data as code runs whatever the data says.',
      example: 'eval(request.args["expr"])',
      fix: 'Parse the data instead:\n\n```python\nimport ast\nast.literal_eval(text)\n```',
      knownProblems: 'Constant strings are not reported.',
      references: [
        'https://docs.python.org/3/library/functions.html#eval',
        'https://cwe.mitre.org/data/definitions/95.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (fn !== 'eval' || context.isConstant(context.argument(node, 0))) return;
      const argument = context.argument(node, 0)!;
      const literalEval = context.replaceNode(node.childForFieldName('function')!, 'ast.literal_eval');
      context.report({
        node,
        messageId: 'call',
        data: { fn },
        ...(argument.text === 'text'
          ? { severity: 'low' as const, fix: { description: 'Use ast.literal_eval', edits: [literalEval] } }
          : {}),
        ...(argument.text === 'expr'
          ? {
              trace: [
                { line: 3, column: 12, note: 'request.args read here' },
                { line: 4, column: 10, note: 'passed to eval' },
              ],
            }
          : {}),
      });
    },
  },
  tests: { valid: [], invalid: [] },
}) as AnyRule;

const SOURCE = [
  'from flask import request',
  'def handler():',
  '    expr = request.args["expr"]',
  '    eval(expr)',
  '    eval(text)',
  '    eval(code)  # warden: ignore[eval-call]',
  '',
].join('\n');

function sampleReport(): ScanReport {
  const { findings } = scanSource('app/my views.py', SOURCE, { rules: [evalRule] });
  return {
    version: '1.2.3',
    findings,
    stats: {
      files: 3,
      skipped: [{ path: 'vendor/blob.py', reason: 'binary file' }],
      parseErrors: 1,
      parseErrorFiles: [{ path: 'app/broken.py', line: 7, column: 5, message: 'invalid syntax' }],
      incomplete: [],
      notes: [{ path: 'app/latin.py', note: 'not valid UTF-8: invalid bytes were replaced with U+FFFD' }],
      durationMs: 1234,
    },
  };
}

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', 'utf8'),
  ) as Record<string, unknown>;
  // The file declares draft-04 with `id`; the keywords it uses mean the same under draft-07.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // The schema's `language` pattern has a stray `]` that only non-unicode regular expressions accept.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object.
  const addFormats = ((formats as unknown as { default?: unknown }).default ?? formats) as (instance: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('sample findings', () => {
  it('cover a trace, a fix and a suppression', () => {
    const { findings } = sampleReport();
    expect(
      findings.map((finding: Finding) => [finding.line, !!finding.trace, !!finding.fix, finding.suppressed?.kind]),
    ).toEqual([
      [4, true, false, undefined],
      [5, false, true, undefined],
      [6, false, false, 'warden'],
    ]);
  });
});

describe('text report', () => {
  it('renders findings like a compiler, then problems and a summary', () => {
    expect(renderText(sampleReport())).toMatchSnapshot();
  });

  it('says so when nothing was found', () => {
    const report = sampleReport();
    report.findings = [];
    report.stats = { ...report.stats, files: 1, skipped: [], parseErrors: 0, parseErrorFiles: [], notes: [] };
    expect(renderText(report)).toBe('No findings in 1 file (1.23 s)\n');
  });
});

describe('GitHub Actions workflow commands', () => {
  it('renders one command per unsuppressed finding, by severity, then problems and the summary', () => {
    expect(renderGithubAnnotations(sampleReport())).toMatchSnapshot();
  });

  it('maps high, medium and low to error, warning and notice, with the location as properties', () => {
    const report = sampleReport();
    const [first] = report.findings;
    report.findings = (['high', 'medium', 'low'] as const).map((severity) => ({ ...first, severity, trace: [] }));
    report.stats = { ...report.stats, skipped: [], parseErrorFiles: [] };
    const lines = renderGithubAnnotations(report).trimEnd().split('\n');
    expect(lines.slice(0, 3).map((line) => line.split(' ')[0])).toEqual(['::error', '::warning', '::notice']);
    expect(lines[0]).toMatch(
      /^::error file=app\/my views\.py,line=4,col=5,endLine=4,endColumn=15,title=eval-call%3A Code evaluated from a string::/,
    );
  });

  it("escapes messages and properties as GitHub's toolkit does", () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('C:\\dir,x%\n')).toBe('C%3A\\dir%2Cx%25%0A');
    const report = sampleReport();
    report.findings = [{ ...report.findings[0], path: 'a,b:c.py', message: 'line one\nline 100%', trace: [] }];
    report.stats = { ...report.stats, skipped: [], parseErrorFiles: [] };
    const [line] = renderGithubAnnotations(report).split('\n');
    expect(line).toContain('file=a%2Cb%3Ac.py,');
    expect(line.endsWith('::line one%0Aline 100%25 (confidence: medium)')).toBe(true);
  });
});

describe('JSON report', () => {
  it('holds version, findings (suppressed ones marked) and stats', () => {
    const parsed = JSON.parse(renderJson(sampleReport())) as ScanReport;
    expect(Object.keys(parsed)).toEqual(['version', 'findings', 'stats']);
    expect(parsed.findings[2].suppressed).toEqual({ kind: 'warden', comment: '# warden: ignore[eval-call]', line: 6 });
    expect(parsed.stats).toMatchObject({
      files: 3,
      parseErrors: 1,
      skipped: [{ path: 'vendor/blob.py', reason: 'binary file' }],
      durationMs: 1234,
    });
  });
});

describe('SARIF report', () => {
  const validate = sarifValidator();

  it('renders code-scanning SARIF', () => {
    expect(JSON.parse(renderSarif(sampleReport(), { rules: [evalRule] }))).toMatchSnapshot();
  });

  it('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(
      renderSarif(sampleReport(), { rules: [evalRule], docsBaseUri: 'https://example.com/warden/docs/rules/' }),
    );
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });

  it('has a validator that rejects what the schema forbids', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { rules: [evalRule] }));
    log.runs[0].tool.driver.rules[0].helpUri = 'docs/rules/eval-call.md';
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
    expect(validate.errors!.map((error) => error.instancePath)).toEqual(
      expect.arrayContaining(['/runs/0/tool/driver/rules/0/helpUri', '/runs/0/results/0/level']),
    );
  });

  it('validates with every registered rule in the driver', () => {
    const log = JSON.parse(renderSarif({ ...sampleReport(), findings: [] }, { rules: allRules }));
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toHaveLength(allRules.length);
  });

  it('gives every rule the tags, severity and help GitHub code scanning reads', () => {
    const log = JSON.parse(renderSarif({ ...sampleReport(), findings: [] }, { rules: allRules }));
    for (const descriptor of log.runs[0].tool.driver.rules) {
      expect(descriptor.properties.tags).toContain('security');
      expect(descriptor.properties['security-severity']).toMatch(/^\d+\.\d$/);
      expect(descriptor.help.markdown).toContain('## Why is this bad?');
      expect(descriptor.helpUri).toMatch(/^https:\/\//);
    }
  });

  it('names the tool and the analysis as code scanning reads them', () => {
    const log = JSON.parse(
      renderSarif(sampleReport(), { rules: [evalRule], informationUri: 'https://example.com/warden' }),
    );
    expect(log.runs[0].tool.driver.informationUri).toBe('https://example.com/warden');
    expect(log.runs[0].automationDetails).toEqual({ id: 'warden/' });
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });

  describe("GitHub's upload limits", () => {
    const manyFindings = (count: number): ScanReport => {
      const report = sampleReport();
      const [traced, , suppressed] = report.findings;
      report.findings = Array.from({ length: count }, (_, index) => ({
        ...(index % 10 === 0 ? suppressed : traced),
        severity: index % 3 === 0 ? ('high' as const) : ('low' as const),
        line: index + 1,
        fingerprint: `fp${index}`,
      }));
      return report;
    };
    const notificationTexts = (log: { runs: { invocations: { toolExecutionNotifications: Json[] }[] }[] }) =>
      log.runs[0].invocations[0].toolExecutionNotifications.map((n) => (n.message as { text: string }).text);
    type Json = Record<string, unknown>;

    it('keeps the most severe unsuppressed results when there are too many, and says so', () => {
      const log = JSON.parse(
        renderSarif(manyFindings(30), { rules: [evalRule], limits: { ...GITHUB_SARIF_LIMITS, resultsPerRun: 12 } }),
      );
      const results = log.runs[0].results as { level: string; suppressions?: unknown; locations: Json[] }[];
      expect(results).toHaveLength(12);
      // 9 of the 30 are high and unsuppressed (index % 3 === 0, index % 10 !== 0): all of them are kept.
      expect(results.filter((r) => r.level === 'error' && !r.suppressions)).toHaveLength(9);
      expect(results.every((r) => !r.suppressions)).toBe(true);
      expect(notificationTexts(log)[0]).toBe(
        '18 of 30 results were left out: GitHub accepts 12 per run, so the most severe were kept. The text and JSON formats list every finding.',
      );
      expect(validate(log) ? [] : validate.errors).toEqual([]);
    });

    it('cuts a trace longer than a thread flow may be, keeping the sink', () => {
      const report = sampleReport();
      report.findings = [
        {
          ...report.findings[0],
          trace: Array.from({ length: 8 }, (_, i) => ({ line: i + 1, column: 1, note: `step ${i}` })),
        },
      ];
      const log = JSON.parse(
        renderSarif(report, { rules: [evalRule], limits: { ...GITHUB_SARIF_LIMITS, threadFlowLocationsPerResult: 5 } }),
      );
      const locations = log.runs[0].results[0].codeFlows[0].threadFlows[0].locations as {
        location: { message: { text: string } };
      }[];
      expect(locations.map((l) => l.location.message.text)).toEqual([
        'step 0',
        'step 1',
        'step 2',
        'step 3',
        '`eval` evaluates a string as Python code',
      ]);
      expect(notificationTexts(log)[0]).toContain(
        '1 data-flow trace(s) had more steps than the 5 thread-flow locations',
      );
    });

    it('stays under the compressed size limit, most severe results first', () => {
      const report = manyFindings(2000);
      report.findings = report.findings.map((finding, index) => ({
        ...finding,
        message: `message ${index} ${(index * 2654435761) % 1000003}`,
      }));
      const full = renderSarif(report, { rules: [evalRule] });
      const limit = Math.floor(gzipSync(full).length / 3);
      const cut = renderSarif(report, { rules: [evalRule], limits: { ...GITHUB_SARIF_LIMITS, gzipBytes: limit } });
      expect(gzipSync(cut).length).toBeLessThanOrEqual(limit);
      const log = JSON.parse(cut);
      const kept = log.runs[0].results.length as number;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(2000);
      expect(notificationTexts(log)[0]).toBe(
        `${(2000 - kept).toLocaleString('en-US')} of 2,000 results were left out to keep the file under the ${limit.toLocaleString('en-US')} bytes (gzip-compressed) GitHub accepts, the most severe kept. The text and JSON formats list every finding.`,
      );
      expect(log.runs[0].results.filter((r: { level: string }) => r.level === 'error').length).toBe(
        Math.min(kept, 600),
      );
    });
  });

  it('marks suppressed results in-source and points ruleIndex at the driver rule', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { rules: [allRules[0], evalRule] }));
    const results = log.runs[0].results;
    expect(results.map((result: { ruleIndex: number }) => result.ruleIndex)).toEqual([1, 1, 1]);
    expect(results[2].suppressions).toEqual([
      { kind: 'inSource', justification: '# warden: ignore[eval-call] (line 6)' },
    ]);
    expect(results[0].partialFingerprints[FINGERPRINT_KEY]).toBe(sampleReport().findings[0].fingerprint);
  });
});
