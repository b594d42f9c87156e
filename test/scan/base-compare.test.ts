import { describe, expect, it } from '@jest/globals';
import { parseFilePatch } from '../../src/diff/patch.js';
import { scanSource } from '../../src/engine/scan-source.js';
import subprocessShellTrue from '../../src/rules/injection/subprocess-shell-true.js';
import { compareWithBase } from '../../src/scan/base-compare.js';

const CALL = '    subprocess.run(f"tar czf {name}.tgz", shell=True)';
const source = (...body: string[]) => ['import subprocess', '', 'def archive(name):', ...body, ''].join('\n');
const scan = (text: string) => ({
  findings: scanSource('jobs.py', text, { rules: [subprocessShellTrue] }).findings,
  text,
});

describe('compareWithBase', () => {
  it('reports the added copy, not the old one, when an identical finding is added above it', () => {
    const base = scan(source(CALL));
    const head = scan(source(CALL, CALL));
    // The diff says line 4 is the added copy; occurrence indices alone would call line 5 new.
    const diff = parseFilePatch('@@ -3,2 +3,3 @@\n def archive(name):\n+' + CALL + '\n ' + CALL);
    const { mode, introduced, fixed } = compareWithBase({ path: 'jobs.py', head, base, diff });
    expect(mode).toBe('base');
    expect(introduced.map((finding) => finding.line)).toEqual([4]);
    expect(introduced[0].introducedBy).toBeUndefined();
    expect(fixed).toEqual([]);
  });

  it('reports a pre-existing finding whose confidence rose, and counts none as fixed', () => {
    const base = scan(source(CALL));
    const risen = { ...base.findings[0], confidence: 'high' as const };
    const { introduced, fixed } = compareWithBase({
      path: 'jobs.py',
      head: { findings: [risen], text: base.text },
      base,
      diff: parseFilePatch(''),
    });
    expect(introduced).toHaveLength(1);
    expect(introduced[0].introducedBy?.note).toMatch(/no changed line of this file mentions what it uses/);
    expect(fixed).toEqual([]);
  });

  it('falls back to touched lines when the base could not be scanned', () => {
    const head = scan(source(CALL, CALL.replace('tar', 'zip')));
    const diff = parseFilePatch('@@ -4,0 +5 @@\n+' + CALL.replace('tar', 'zip'));
    const comparison = compareWithBase({
      path: 'jobs.py',
      head,
      base: { unavailable: 'its base version is binary' },
      diff,
    });
    expect(comparison).toMatchObject({
      mode: 'touched-lines',
      fallbackReason: 'its base version is binary',
      fixed: [],
    });
    expect(comparison.introduced.map((finding) => finding.line)).toEqual([5]);
  });

  it('counts every finding of a deleted file as fixed, at its base path', () => {
    const base = scan(source(CALL));
    const { mode, introduced, fixed } = compareWithBase({ path: 'jobs.py', base, diff: parseFilePatch('') });
    expect(mode).toBe('deleted');
    expect(introduced).toEqual([]);
    expect(fixed.map((finding) => `${finding.path}:${finding.line}`)).toEqual(['jobs.py:4']);
  });
});
