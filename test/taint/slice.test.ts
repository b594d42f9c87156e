import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { diffTexts } from '../../src/diff/patch.js';
import { scanSource } from '../../src/engine/index.js';
import { isInTouchedSlice, sliceLines } from '../../src/engine/taint/index.js';
import { rulesById } from '../../src/rules/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/taint/${name}`, import.meta.url), 'utf8');

describe('isInTouchedSlice', () => {
  const finding = {
    line: 10,
    endLine: 11,
    trace: [
      { line: 3, column: 5, note: 'request.args read here' },
      { line: 7, column: 5, note: 'assigned to q' },
    ],
  };

  it('is true when a line of the finding itself changed', () => {
    expect(isInTouchedSlice(finding, new Set([11]))).toBe(true);
  });

  it('is true when only a line of the trace changed', () => {
    expect(isInTouchedSlice(finding, new Set([3]))).toBe(true);
    expect(isInTouchedSlice(finding, new Set([7, 40]))).toBe(true);
  });

  it('is false when the change is elsewhere, or there is none', () => {
    expect(isInTouchedSlice(finding, new Set([1, 5, 12]))).toBe(false);
    expect(isInTouchedSlice(finding, new Set())).toBe(false);
    expect(isInTouchedSlice({ line: 2, endLine: 2 }, new Set([3]))).toBe(false);
  });

  it('lists the range and the trace lines outside it', () => {
    expect(sliceLines(finding)).toEqual([10, 11, 3, 7]);
  });
});

describe('a pull request that changes only the source line', () => {
  const before = fixture('export-before.py');
  const after = fixture('export-after.py');
  const rules = [rulesById.get('path-traversal')!];

  it('makes an unchanged sink a finding of the pull request, with its trace', () => {
    expect(scanSource('app.py', before, { rules }).findings).toEqual([]);
    const { touchedLines } = diffTexts(before, after);
    expect([...touchedLines]).toEqual([14]);

    const [finding, ...others] = scanSource('app.py', after, { rules }).findings;
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'path-traversal', line: 16 });
    expect(touchedLines.has(finding.line)).toBe(false);
    expect(finding.trace?.map((step) => `${step.line}: ${step.note}`)).toEqual([
      '14: request.args read here',
      '14: assigned to name',
      '15: passed to report_path()',
      '8: parameter `name`',
      '9: joined into a path by os.path.join()',
      '15: returned from report_path()',
      '15: assigned to path',
      '16: used as a file path here',
    ]);
    expect(isInTouchedSlice(finding, touchedLines)).toBe(true);
  });
});
