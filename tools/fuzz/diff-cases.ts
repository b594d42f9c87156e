/** Random unified diffs for the patch parser: well-formed hunks, lies in their headers, and noise. */
import fc from 'fast-check';

const hunkLine = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }).map((text) => ` ${text.replace(/[\r\n]/g, '')}`) },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }).map((text) => `+${text.replace(/[\r\n]/g, '')}`) },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }).map((text) => `-${text.replace(/[\r\n]/g, '')}`) },
  { weight: 1, arbitrary: fc.constant('\\ No newline at end of file') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** A hunk whose header may or may not match its body. */
const hunk = fc
  .tuple(
    fc.nat({ max: 100_000 }),
    fc.nat({ max: 50 }),
    fc.nat({ max: 100_000 }),
    fc.nat({ max: 50 }),
    fc.array(hunkLine, { maxLength: 40 }),
    fc.boolean(),
  )
  .map(([oldStart, oldLines, newStart, newLines, lines, honest]) => {
    const counts = honest
      ? {
          old: lines.filter((line) => line.startsWith(' ') || line.startsWith('-')).length,
          new: lines.filter((line) => line.startsWith(' ') || line.startsWith('+')).length,
        }
      : { old: oldLines, new: newLines };
    return [`@@ -${oldStart},${counts.old} +${newStart},${counts.new} @@`, ...lines].join('\n');
  });

/** The `patch` field of one file, as GitHub sends it. */
export const filePatch: fc.Arbitrary<string> = fc.oneof(
  fc.array(hunk, { maxLength: 6 }).map((hunks) => hunks.join('\n')),
  fc.string({ maxLength: 200 }),
);

const path = fc.stringMatching(/^[a-z_]{1,8}(\/[a-z_]{1,8}){0,3}\.py$/);

/** `git diff` output for several files: added, removed, renamed and modified. */
export const gitDiff: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(path, path, fc.constantFrom('modified', 'added', 'removed', 'renamed'), fc.array(hunk, { maxLength: 4 })),
    { maxLength: 5 },
  )
  .map((files) =>
    files
      .map(([from, to, status, hunks]) => {
        const oldName = status === 'added' ? '/dev/null' : `a/${from}`;
        const newName = status === 'removed' ? '/dev/null' : `b/${status === 'renamed' ? to : from}`;
        return [`diff --git a/${from} b/${to}`, `--- ${oldName}`, `+++ ${newName}`, ...hunks].join('\n');
      })
      .join('\n'),
  );
