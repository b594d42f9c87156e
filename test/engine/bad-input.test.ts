import { describe, expect, it } from '@jest/globals';
import { incompleteParts, scanBytes, scanSource } from '../../src/engine/index.js';
import { allRules } from '../../src/rules/index.js';
import { probeRule } from './probe.js';

/** Reports every call to `probe`, so each test can tell whether the code after the bad part was scanned. */
const callProbe = probeRule((call) =>
  call.childForFieldName('function')?.text === 'probe' ? 'probe called' : undefined,
);
const rules = [callProbe];
const VULNERABLE = 'import subprocess\nprobe(cmd)\n';
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('bad input', () => {
  it('reports a syntax error and still scans what parsed', () => {
    const result = scanSource('broken.py', `${VULNERABLE}def broken(:\n    pass\n`, { rules });
    expect(result.skipped).toBeUndefined();
    expect(result.parseError).toMatchObject({ line: 3 });
    expect(result.findings.map((finding) => finding.line)).toEqual([2]);
  });

  it('reports no syntax error for valid code', () => {
    expect(scanSource('ok.py', VULNERABLE, { rules }).parseError).toBeUndefined();
  });

  it('scans a file with bytes that are not UTF-8, replacing them and saying so', () => {
    const source = Buffer.concat([bytes('# caf'), Buffer.from([0xe9, 0xff]), bytes(`\n${VULNERABLE}`)]);
    const result = scanBytes('latin.py', source, { rules });
    expect(result.notes).toEqual([expect.stringContaining('not valid UTF-8')]);
    expect(result.findings.map((finding) => finding.line)).toEqual([3]);
  });

  it('decodes a file by its PEP 263 coding cookie', () => {
    const source = Buffer.concat([
      bytes('# -*- coding: latin-1 -*-\nNAME = "caf'),
      Buffer.from([0xe9]),
      bytes(`"\n${VULNERABLE}`),
    ]);
    const result = scanBytes('cookie.py', source, { rules });
    expect(result.notes).toEqual([]);
    expect(result.findings.map((finding) => finding.line)).toEqual([4]);
  });

  it('skips binary files', () => {
    const result = scanBytes('blob.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), { rules });
    expect(result.skipped).toBe('binary file');
    expect(result.findings).toEqual([]);
  });

  it('scans an empty file without complaint', () => {
    const result = scanBytes('__init__.py', Buffer.alloc(0), { rules });
    expect(result).toMatchObject({ findings: [], notes: [], ruleErrors: [] });
    expect(result.skipped).toBeUndefined();
    expect(result.parseError).toBeUndefined();
  });

  it('reports a file over the size cap as not fully scanned, so padding cannot hide it', () => {
    const result = scanBytes('big.py', bytes(VULNERABLE.repeat(100)), { rules, maxFileBytes: 1024 });
    expect(result.skipped).toBeUndefined();
    expect(result.findings).toEqual([]);
    expect(incompleteParts(result)).toEqual([
      {
        path: 'big.py',
        reason: expect.stringMatching(/^larger than the 1 KiB size cap \(\d+ KiB\); nothing was scanned$/),
      },
    ]);
  });

  it('gives up on parsing at the deadline instead of hanging', () => {
    const huge = `x = [${'(1, "a"), '.repeat(200_000)}]\n`;
    const result = scanSource('generated.py', huge, { rules, parseTimeoutMs: 1 });
    expect(result.skipped).toBeUndefined();
    expect(result.incomplete).toBe('parsing did not finish within its 1 ms deadline; nothing was scanned');
  });

  it('parses the next file from scratch after a parse ran out of time', () => {
    scanSource('generated.py', `x = [${'(1, "a"), '.repeat(200_000)}]\n`, { rules, parseTimeoutMs: 1 });
    const next = scanSource('next.py', VULNERABLE, { rules });
    expect(next.parseError).toBeUndefined();
    expect(next.findings.map((finding) => finding.line)).toEqual([2]);
  });

  it('survives nesting far deeper than Python allows', () => {
    const deep = `x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n${VULNERABLE}`;
    const result = scanSource('deep.py', deep, { rules });
    expect(result.ruleErrors).toEqual([]);
    expect(result.skipped ?? result.findings.map((finding) => finding.line)).toEqual([3]);
  });

  it('resolves names after nesting too deep for the parser, whose error tree makes scopes claim each other', () => {
    // Found by `npm run fuzz` (case 3554): the scope chain went round for ever and the process died.
    const ifs = Array.from({ length: 600 }, (_, depth) => `${' '.repeat(depth)}if c${depth}:`).join('\n');
    const source = `${ifs}\n${' '.repeat(600)}pass\nimport os\nos.system(input())\n`;
    const result = scanSource('nested.py', source, { rules: allRules });
    expect(result.ruleErrors).toEqual([]);
    expect(result.findings.filter((finding) => finding.ruleId === 'os-command-injection').map((f) => f.line)).toEqual([
      603,
    ]);
  });

  it('handles CRLF and lone CR line endings', () => {
    expect(
      scanSource('crlf.py', VULNERABLE.replace(/\n/g, '\r\n'), { rules }).findings.map((finding) => finding.line),
    ).toEqual([2]);
  });

  it('contains a rule that throws to that rule and file', () => {
    const throwing = probeRule(() => {
      throw new Error('boom');
    });
    const result = scanSource('jobs.py', VULNERABLE, { rules: [{ ...throwing, id: 'throwing-probe' }, callProbe] });
    expect(result.ruleErrors).toEqual([{ ruleId: 'throwing-probe', message: 'boom (at line 2)' }]);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['engine-probe']);
  });

  it('resumes a rule that threw at the next statement, not at the end of the file', () => {
    const throwsOnBoom = probeRule((call) => {
      if (call.text.includes('boom')) throw new Error('boom');
      return call.childForFieldName('function')?.text === 'probe' ? 'probe called' : undefined;
    });
    const code = 'probe(boom(probe(1)))\nprobe(2)\nif probe(boom()):\n    probe(3)\nprobe(4)\n';
    const result = scanSource('resume.py', code, { rules: [throwsOnBoom] });
    // Line 1 and the `if` condition are lost to the failure; every later statement is scanned.
    expect(result.findings.map((finding) => finding.line)).toEqual([2, 4, 5]);
    expect(result.ruleErrors).toEqual([{ ruleId: 'engine-probe', message: 'boom (at line 1), and 1 more times' }]);
    expect(incompleteParts(result)).toEqual([
      {
        path: 'resume.py',
        ruleId: 'engine-probe',
        reason: 'rule failed: boom (at line 1), and 1 more times; it resumed at the next statement',
      },
    ]);
  });

  it('stops the rules at the deadline and says where, keeping what was found before it', () => {
    // A rule that spends 2 ms on every call would take 8 s over this file.
    const slowProbe = probeRule((call) => {
      const until = Date.now() + 2;
      while (Date.now() < until);
      return call.childForFieldName('function')?.text === 'probe' ? 'probe called' : undefined;
    });
    const result = scanSource('slow.py', 'probe(cmd)\n'.repeat(4000), {
      rules: [slowProbe],
      deadline: Date.now() + 1000,
    });
    const stoppedAt = Number(
      /^the time budget ran out at line (\d+); the rest of the file was not scanned$/.exec(
        result.incomplete ?? '',
      )?.[1],
    );
    expect(stoppedAt).toBeGreaterThan(1);
    expect(stoppedAt).toBeLessThan(4000);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((finding) => finding.line <= stoppedAt)).toBe(true);
  });
});
