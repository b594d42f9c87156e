import { describe, expect, it } from '@jest/globals';
import { diffTexts, DiffParseError, isValidAnchor, parseFilePatch, parseGitDiff } from '../src/diff/patch.js';

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
    expect([...file!.touchedLines]).toEqual([2]);
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
