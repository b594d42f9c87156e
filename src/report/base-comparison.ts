import type { Finding } from '../engine/types.js';
import { escapeMarkdown, inlineCode, plural, tableCell } from './markdown.js';

/**
 * How a changed file's findings were judged new:
 * - `base`: compared with a scan of the file's base version (the merge base);
 * - `new-file`: the file did not exist in the base, so every finding is new;
 * - `deleted`: the file is gone, so every base finding is fixed;
 * - `touched-lines`: the base version could not be scanned (too large, binary, unreadable), so
 *   findings resting on added or changed lines count as new, as a diff-only scan would.
 */
export type ComparisonMode = 'base' | 'new-file' | 'deleted' | 'touched-lines';

/** Which mode one changed Python file used. */
export interface FileComparisonMode {
  path: string;
  mode: ComparisonMode;
  /** Why the file fell back to touched lines. */
  fallbackReason?: string;
}

/** What comparing a change (a pull request, `--diff`) with its base found, beyond the new findings. */
export interface BaseComparisonReport {
  files: FileComparisonMode[];
  /** Base findings gone from the head, at their base paths and lines, after the config's filters. */
  fixed: Finding[];
}

/** Rows of the fixed-findings table and of the per-file mode list; the rest are counted. */
const ROWS = 50;

const MODE_TEXT: Record<ComparisonMode, string> = {
  base: 'Compared with the merge base',
  'new-file': 'New, so every finding is new',
  deleted: 'Deleted, so its findings are fixed',
  'touched-lines': 'Base not scanned, so only findings on touched lines count',
};

/** "This pull request fixes 2 findings", with each finding's rule and base location. */
function fixedSection(comparison: BaseComparisonReport | undefined): string[] {
  const fixed = comparison?.fixed ?? [];
  if (fixed.length === 0) return [];
  const lines = [
    '### Fixed by this pull request',
    '',
    `This pull request fixes ${plural(fixed.length, 'finding')} that the base had:`,
    '',
    '| Severity | Rule | Base location |',
    '|---|---|---|',
    ...fixed
      .slice(0, ROWS)
      .map(
        (finding) =>
          `| ${finding.severity} | ${tableCell(inlineCode(finding.ruleId))} | ${tableCell(inlineCode(`${finding.path}:${finding.line}`))} |`,
      ),
  ];
  if (fixed.length > ROWS) lines.push('', `…and ${plural(fixed.length - ROWS, 'more fixed finding')}.`);
  return [...lines, ''];
}

/** Which mode each changed Python file used: one line per mode, naming its files. */
function modesSection(comparison: BaseComparisonReport | undefined): string[] {
  const files = comparison?.files ?? [];
  if (files.length === 0) return [];
  const lines = (Object.keys(MODE_TEXT) as ComparisonMode[]).flatMap((mode) => {
    const inMode = files.filter((file) => file.mode === mode);
    if (inMode.length === 0) return [];
    const named = inMode
      .slice(0, ROWS)
      .map((file) => inlineCode(file.path) + (file.fallbackReason ? ` (${escapeMarkdown(file.fallbackReason)})` : ''));
    if (inMode.length > ROWS) named.push(`…and ${plural(inMode.length - ROWS, 'more')}`);
    return [`- ${MODE_TEXT[mode]} (${inMode.length}): ${named.join(', ')}`];
  });
  return ['### How each file was compared', '', ...lines, ''];
}

/** The check summary's account of the base comparison: what the PR fixed, and each file's mode. */
export function baseComparisonSections(comparison: BaseComparisonReport | undefined): string[] {
  return [...fixedSection(comparison), ...modesSection(comparison)];
}

/**
 * What "new" means, for the summary's first line: a finding the base does not have, or (for
 * files that fell back) a finding on a line the pull request touched.
 */
export const NEW_FINDINGS_MEANING =
  'only findings new in this pull request (absent from the merge base, wherever they moved) are reported';
