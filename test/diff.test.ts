import { describe, expect, it } from '@jest/globals';
import { structuredPatch } from 'diff';
import fc from 'fast-check';
import {
  baseTextFromPatch,
  diffTexts,
  DiffParseError,
  isValidAnchor,
  parseFilePatch,
  parseGitDiff,
} from '../src/diff/patch.js';

describe('parseFilePatch (the PR files API patch)', () => {
  const patch = [
    '@@ -1,4 +1,5 @@',
    ' import os',
    '-os.system(cmd)',
    '+import subprocess',
    '+subprocess.run(cmd, shell=True)',
    ' ',
    ' def f():',
    '@@ -20,2 +21,3 @@ def g():',
    '     a = 1',
    '+    b = 2',
    '     return a',
  ].join('\n');

  it('collects added and changed lines on the new side', () => {
    expect([...parseFilePatch(patch).touchedLines]).toEqual([2, 3, 22]);
  });

  it('records each hunk range on the new side', () => {
    expect(parseFilePatch(patch).hunks).toEqual([
      { start: 1, end: 5 },
      { start: 21, end: 23 },
    ]);
  });

  it('records the base side: hunk ranges and each block of removed and added lines', () => {
    const diff = parseFilePatch(patch);
    expect(diff.baseHunks).toEqual([
      { start: 1, end: 4 },
      { start: 20, end: 21 },
    ]);
    expect(diff.blocks).toEqual([
      {
        removed: [{ line: 2, text: 'os.system(cmd)' }],
        added: [
          { line: 2, text: 'import subprocess' },
          { line: 3, text: 'subprocess.run(cmd, shell=True)' },
        ],
      },
      { removed: [], added: [{ line: 22, text: '    b = 2' }] },
    ]);
  });

  it('validates comments on removed lines against the base side', () => {
    const diff = parseFilePatch(patch);
    expect(isValidAnchor(diff, 2, undefined, 'LEFT')).toBe(true);
    expect(isValidAnchor(diff, 10, undefined, 'LEFT')).toBe(false);
    expect(isValidAnchor(diff, 21, undefined, 'LEFT')).toBe(true);
  });

  it('treats an empty patch as touching nothing', () => {
    expect(parseFilePatch('')).toEqual({ touchedLines: new Set(), hunks: [], baseHunks: [], blocks: [] });
  });

  it('ignores the no-newline marker', () => {
    expect([
      ...parseFilePatch('@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file').touchedLines,
    ]).toEqual([1]);
  });

  it('rejects a malformed hunk with a DiffParseError', () => {
    expect(() => parseFilePatch('@@ -1,3 +1,3 @@\n+only one line')).toThrow(DiffParseError);
  });
});

describe('parseGitDiff', () => {
  const diff = [
    'diff --git a/app/new.py b/app/new.py',
    'new file mode 100644',
    'index 0000000..1111111',
    '--- /dev/null',
    '+++ b/app/new.py',
    '@@ -0,0 +1,2 @@',
    '+import os',
    '+os.system(cmd)',
    'diff --git a/old.py b/old.py',
    'deleted file mode 100644',
    '--- a/old.py',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-x = 1',
    'diff --git a/a.py b/b.py',
    'similarity index 90%',
    'rename from a.py',
    'rename to b.py',
    '--- a/a.py',
    '+++ b/b.py',
    '@@ -5,0 +6 @@ def f():',
    '+    eval(x)',
    'diff --git a/same.py b/same.py',
    '--- a/same.py',
    '+++ b/same.py',
    '@@ -3 +3 @@',
    '-a = 1',
    '+a = 2',
    '',
  ].join('\n');

  it('gives each file its status, path and touched lines', () => {
    expect(
      parseGitDiff(diff).map(({ path, status, previousPath, touchedLines }) => ({
        path,
        status,
        previousPath,
        lines: [...touchedLines],
      })),
    ).toEqual([
      { path: 'app/new.py', status: 'added', previousPath: undefined, lines: [1, 2] },
      { path: 'old.py', status: 'removed', previousPath: undefined, lines: [] },
      { path: 'b.py', status: 'renamed', previousPath: 'a.py', lines: [6] },
      { path: 'same.py', status: 'modified', previousPath: undefined, lines: [3] },
    ]);
  });

  it('reads --no-prefix output too', () => {
    const [file] = parseGitDiff('diff --git app.py app.py\n--- app.py\n+++ app.py\n@@ -1 +1,2 @@\n x\n+y\n');
    expect(file).toMatchObject({ path: 'app.py', status: 'modified' });
    expect([...file.touchedLines]).toEqual([2]);
  });

  it('returns nothing for empty output', () => {
    expect(parseGitDiff('')).toEqual([]);
  });
});

describe('diffTexts', () => {
  it('finds the lines that differ, for files without a patch', () => {
    const result = diffTexts('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect([...result.touchedLines]).toEqual([2, 4]);
    expect(result.hunks).toEqual([{ start: 1, end: 4 }]);
  });

  it('numbers a change deep in a long file as a full diff does, context included', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`);
    const changed = [...lines];
    changed.splice(1500, 1, 'changed', 'added');
    const result = diffTexts(`${lines.join('\n')}\n`, `${changed.join('\n')}\n`);
    expect([...result.touchedLines]).toEqual([1501, 1502]);
    expect(result.hunks).toEqual([{ start: 1498, end: 1505 }]);
    expect(result.baseHunks).toEqual([{ start: 1498, end: 1504 }]);
    expect(result.blocks).toEqual([
      {
        removed: [{ line: 1501, text: 'line 1501' }],
        added: [
          { line: 1501, text: 'changed' },
          { line: 1502, text: 'added' },
        ],
      },
    ]);
  });

  it('gives a minimal diff whose lines are those of the two texts, for any edits', () => {
    // Few distinct lines, so that edits land next to equal lines and the prefix and suffix are ambiguous.
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 40 });
    const edit = fc.record({ at: fc.nat(), removed: fc.nat({ max: 5 }), inserted: lines });
    fc.assert(
      fc.property(lines, fc.array(edit, { maxLength: 3 }), fc.boolean(), (oldLines, edits, endsLine) => {
        const newLines = [...oldLines];
        for (const { at, removed, inserted } of edits)
          newLines.splice(at % (newLines.length + 1), removed, ...inserted.slice(0, 4));
        const oldText = oldLines.join('\n') + (endsLine ? '\n' : '');
        const newText = newLines.join('\n') + (endsLine ? '\n' : '');
        const result = diffTexts(oldText, newText);
        const full = structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context: 3 });
        const count = (sign: string) =>
          full.hunks.flatMap((hunk) => hunk.lines).filter((line) => line.startsWith(sign)).length;
        const added = result.blocks.flatMap((block) => block.added);
        const removed = result.blocks.flatMap((block) => block.removed);
        expect(added.length).toBe(count('+'));
        expect(removed.length).toBe(count('-'));
        const oldByLine = oldText.split('\n');
        const newByLine = newText.split('\n');
        for (const { line, text: lineText } of added) expect(newByLine[line - 1]).toBe(lineText);
        for (const { line, text: lineText } of removed) expect(oldByLine[line - 1]).toBe(lineText);
        expect([...result.touchedLines]).toEqual(added.map(({ line }) => line));
        for (const line of result.touchedLines)
          expect(result.hunks.some((hunk) => hunk.start <= line && line <= hunk.end)).toBe(true);
      }),
      { seed: 14, numRuns: 500 },
    );
  });
});

describe('isValidAnchor', () => {
  const diff = parseFilePatch('@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,1 +11,2 @@\n x\n+y\n');

  it('accepts a line or a range inside one hunk', () => {
    expect(isValidAnchor(diff, 2)).toBe(true);
    expect(isValidAnchor(diff, 3, 1)).toBe(true);
  });

  it('rejects lines outside every hunk, ranges across hunks and reversed ranges', () => {
    expect(isValidAnchor(diff, 5)).toBe(false);
    expect(isValidAnchor(diff, 12, 2)).toBe(false);
    expect(isValidAnchor(diff, 1, 3)).toBe(false);
  });
});

describe('baseTextFromPatch', () => {
  const base = 'import os\n\nVERIFY = True\n\ndef f():\n    return VERIFY\n';
  const head = '"""Docs."""\nimport os\n\nVERIFY = False\n\ndef f():\n    return VERIFY';

  it('rebuilds the base exactly from the head and a patch, missing final newline included', () => {
    const patch = [
      '@@ -1,6 +1,7 @@',
      '+"""Docs."""',
      ' import os',
      ' ',
      '-VERIFY = True',
      '+VERIFY = False',
      ' ',
      ' def f():',
      '-    return VERIFY',
      '+    return VERIFY',
      '\\ No newline at end of file',
    ].join('\n');
    expect(baseTextFromPatch(head, patch)).toBe(base);
  });

  it('rebuilds a deleted file from its all-removed patch', () => {
    expect(baseTextFromPatch('', '@@ -1,2 +0,0 @@\n-x = 1\n-y = 2')).toBe('x = 1\ny = 2\n');
  });

  it('is undefined when the patch does not fit the head', () => {
    expect(baseTextFromPatch('a = 1\n', '@@ -1 +1 @@\n-b = 1\n+c = 1')).toBeUndefined();
  });
});
