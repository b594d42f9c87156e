import type { Finding, FixEdit } from './types.js';

/**
 * Applies whole-line edits to a source text. Overlapping edits cannot both apply; the later
 * one (by start line) is dropped, as an editor would refuse it.
 */
export function applyEdits(source: string, edits: readonly FixEdit[]): string {
  const lines = source.split('\n');
  const sorted = [...edits].sort((a, b) => a.startLine - b.startLine);
  const accepted: FixEdit[] = [];
  for (const edit of sorted) {
    const previous = accepted.at(-1);
    if (!previous || edit.startLine > previous.endLine) accepted.push(edit);
  }
  for (const edit of accepted.reverse()) {
    lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...edit.replacement.split('\n'));
  }
  return lines.join('\n');
}

export function applyFixes(source: string, findings: readonly Finding[]): string {
  return applyEdits(
    source,
    findings.flatMap((finding) => finding.fix?.edits ?? []),
  );
}
