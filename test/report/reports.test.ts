import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { scanSource } from '../../src/engine/index.js';
import type { AnyRule } from '../../src/engine/rule.js';
import type { Finding } from '../../src/engine/types.js';
import { renderJson, type ScanReport } from '../../src/report/json.js';
import { FINGERPRINT_KEY, renderSarif } from '../../src/report/sarif.js';
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

describe('JSON report', () => {
  it('holds version, findings (suppressed ones marked) and stats', () => {
    const parsed = JSON.parse(renderJson(sampleReport())) as ScanReport;
    expect(Object.keys(parsed)).toEqual(['version', 'findings', 'stats']);
    expect(parsed.findings[2]!.suppressed).toEqual({ kind: 'warden', comment: '# warden: ignore[eval-call]', line: 6 });
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

  it('marks suppressed results in-source and points ruleIndex at the driver rule', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { rules: [allRules[0]!, evalRule] }));
    const results = log.runs[0].results;
    expect(results.map((result: { ruleIndex: number }) => result.ruleIndex)).toEqual([1, 1, 1]);
    expect(results[2].suppressions).toEqual([
      { kind: 'inSource', justification: '# warden: ignore[eval-call] (line 6)' },
    ]);
    expect(results[0].partialFingerprints[FINGERPRINT_KEY]).toBe(sampleReport().findings[0]!.fingerprint);
  });
});
