import { describe, expect, test } from '@jest/globals';
import { parseFilePatch } from '../../src/diff/patch.js';
import type { Finding } from '../../src/engine/types.js';
import { escapeMarkdown, fencedBlock, inlineCode } from '../../src/report/markdown.js';
import { readState } from '../../src/report/markers.js';
import { MARKER_KEY } from './harness.js';
import { renderCheckSummary, SUMMARY_LIMIT } from '../../src/report/check-summary.js';
import { renderFixedComment, renderReviewComment } from '../../src/report/review.js';
import { anchorFor } from '../../src/scan/review-plan.js';

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'eval-of-variable',
    messageId: 'evaluated',
    title: 'eval() of a variable',
    category: 'injection',
    cwe: [95],
    severity: 'high',
    confidence: 'high',
    path: 'calc.py',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    message: 'm',
    fingerprint: 'f'.repeat(24),
    ...overrides,
  };
}

describe('escaping text taken from code', () => {
  test('neutralises mentions, team pings, issue links, links and HTML outside code spans', () => {
    const escaped = escapeMarkdown(
      'cc @alice and @org/team, fixes #12, see [here](https://evil.example) or www.evil.example <img src=x>',
    );
    expect(escaped).not.toMatch(/@alice|@org\/team|#12|(?<!\\)\]\(|https:\/\/|www\.evil|<img/);
    expect(escaped).toContain('@\u200dalice');
    expect(escaped).toContain('&lt;img src=x&gt;');
  });

  test('keeps code spans as they are, since GitHub renders nothing inside them', () => {
    expect(escapeMarkdown('`@alice <b>` ran')).toBe('`@alice <b>` ran');
  });

  test('picks fences and code-span delimiters longer than any backtick run inside', () => {
    expect(fencedBlock('x = "```"', 'suggestion')).toBe('````suggestion\nx = "```"\n````');
    expect(inlineCode('a `b` c')).toBe('``a `b` c``');
    expect(inlineCode('`x')).toBe('`` `x ``');
  });
});

describe('anchoring review comments', () => {
  const text = ['a = 1', 'b = eval(', '    x)', 'c = 3', ''].join('\n');

  test('spans a multi-line finding with start_line when both ends are in one hunk', () => {
    const diff = parseFilePatch('@@ -0,0 +1,4 @@\n+a = 1\n+b = eval(\n+    x)\n+c = 3');
    expect(anchorFor(finding({ line: 2, endLine: 3 }), { diff, text })).toEqual({ startLine: 2, line: 3 });
  });

  test('turns a fix inside the commented lines into a suggestion of the whole range', () => {
    const diff = parseFilePatch('@@ -0,0 +1,4 @@\n+a = 1\n+b = eval(\n+    x)\n+c = 3');
    const fix = {
      description: 'Use literal_eval',
      edits: [{ startLine: 2, endLine: 2, replacement: 'b = ast.literal_eval(' }],
    };
    expect(anchorFor(finding({ line: 2, endLine: 3, fix }), { diff, text })).toEqual({
      startLine: 2,
      line: 3,
      suggestion: 'b = ast.literal_eval(\n    x)',
    });
  });

  test('falls back to a touched line of the finding when its range leaves the hunk', () => {
    // Line 3 changed; line 2 is outside every hunk (no context lines).
    const diff = parseFilePatch('@@ -3,1 +3,1 @@\n-    y)\n+    x)');
    expect(anchorFor(finding({ line: 2, endLine: 3 }), { diff, text })).toEqual({ line: 3 });
  });

  test('has no anchor for a finding whose lines and trace the PR did not touch', () => {
    const diff = parseFilePatch('@@ -4,1 +4,1 @@\n-c = 2\n+c = 3');
    expect(
      anchorFor(finding({ line: 2, endLine: 2, trace: [{ line: 1, column: 1, note: 'a' }] }), { diff, text }),
    ).toBeUndefined();
  });
});

describe('state in our comments', () => {
  test('code quoted in a comment cannot pass for our state, even as its last line', () => {
    const quoted = finding({
      fingerprint: 'a'.repeat(24),
      message: '`<!-- warden:state fingerprint=bbbbbbbbbbbbbbbbbbbbbbbb fixed=1 sig=0 -->` reaches eval',
    });
    const body = renderReviewComment(quoted, undefined, MARKER_KEY);
    expect(readState(body, MARKER_KEY)).toEqual({ fingerprint: 'a'.repeat(24), rule: 'eval-of-variable' });
  });

  test('a fixed comment keeps its fingerprint and is marked fixed', () => {
    const body = renderFixedComment('c'.repeat(24), 'eval-of-variable', 'd'.repeat(40), MARKER_KEY);
    expect(body.startsWith('✅ Fixed in ddddddd')).toBe(true);
    expect(readState(body, MARKER_KEY)).toEqual({ fingerprint: 'c'.repeat(24), rule: 'eval-of-variable', fixed: true });
  });
});

describe('the check-run summary', () => {
  test("stays within GitHub's 65,535 characters however much there is to say", () => {
    const many = Array.from({ length: 5000 }, (_, i) => `pkg/${'deep/'.repeat(20)}m${i}.py`);
    const summary = renderCheckSummary({
      headSha: 'e'.repeat(40),
      findings: many
        .slice(0, 3000)
        .map((path, i) => finding({ path, line: i + 1, endLine: i + 1, message: 'x'.repeat(400) })),
      filesScanned: 3000,
      skipped: many.map((path) => ({ path, reason: 'binary file' })),
      nonPythonCount: 12,
      unlistedCount: 40,
      suppressedCount: 2,
      notes: many.map((path) => ({
        path,
        message: 'syntax error at line 1 (invalid syntax); the rest of the file was scanned',
      })),
      incomplete: [],
      configErrors: [],
      problems: [],
    });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(summary).toContain('…and 2950 more (every finding is an annotation).');
    expect(summary).toContain('- …and 4950 more skipped files');
    expect(summary).toContain('- …and 4950 more notes');
    expect(summary).toContain("- 40 files past GitHub's 3,000-file listing limit");
  });
});
