import { describe, expect, it } from '@jest/globals';
import { applyFixes, scanSource } from '../src/engine/index.js';
import type { AnyRule, ValidCase } from '../src/engine/rule.js';
import { allRules } from '../src/rules/index.js';

/** One harness for every rule's inline examples, in the manner of ESLint's RuleTester. */
function run(rule: AnyRule, code: string, filename = 'example.py', options?: Record<string, unknown>) {
  const result = scanSource(filename, code, {
    rules: [rule],
    ...(options ? { ruleOptions: { [rule.id]: options } } : {}),
  });
  expect(result.ruleErrors).toEqual([]);
  return result.findings.filter((finding) => !finding.suppressed);
}

function validCode(testCase: ValidCase): { code: string; filename?: string; options?: Record<string, unknown> } {
  return typeof testCase === 'string' ? { code: testCase } : testCase;
}

describe.each(allRules.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
  const codes = [...rule.tests.valid.map((c) => validCode(c).code), ...rule.tests.invalid.map((c) => c.code)];
  it('has no duplicate cases', () => {
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(rule.tests.valid.map((c, i) => [i, validCode(c)] as const))('valid #%i reports nothing', (_i, testCase) => {
    expect(run(rule, testCase.code, testCase.filename, testCase.options)).toEqual([]);
  });

  it.each(rule.tests.invalid.map((c, i) => [i, c] as const))('invalid #%i reports what it expects', (_i, testCase) => {
    const findings = run(rule, testCase.code, testCase.filename, testCase.options);
    expect(findings.map((f) => f.messageId)).toEqual(testCase.errors.map((e) => e.messageId));
    testCase.errors.forEach((expected, index) => {
      const finding = findings[index];
      if (expected.line !== undefined) expect(finding.line).toBe(expected.line);
      if (expected.column !== undefined) expect(finding.column).toBe(expected.column);
      if (expected.severity !== undefined) expect(finding.severity).toBe(expected.severity);
      if (expected.confidence !== undefined) expect(finding.confidence).toBe(expected.confidence);
      if (expected.message !== undefined) expect(finding.message).toContain(expected.message);
    });
    if (testCase.output !== undefined) expect(applyFixes(testCase.code, findings)).toBe(testCase.output);
    else expect(findings.filter((f) => f.fix)).toEqual([]);
  });

  it('reports its documented insecure example', () => {
    expect(run(rule, rule.meta.docs.example).length).toBeGreaterThan(0);
  });
});
