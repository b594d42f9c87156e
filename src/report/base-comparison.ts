import type { ComparisonMode, ScanReport } from '../scan/types.js';
import { plural } from './check-summary.js';
import { escapeMarkdown, inlineCode, tableCell } from './markdown.js';

/** Rows of the fixed-findings table and of the per-file mode list; the rest are counted. */
const ROWS = 50;

const MODE_TEXT: Record<ComparisonMode, string> = {
  base: 'Compared with the merge base',
  'new-file': 'New, so every finding is new',
  deleted: 'Deleted, so its findings are fixed',
  'touched-lines': 'Base not scanned, so only findings on touched lines count',
};

/** "This pull request fixes 2 findings", with each finding's rule and base location. */
function fixedSection(report: ScanReport): string[] {
  const fixed = report.comparison?.fixed ?? [];
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
function modesSection(report: ScanReport): string[] {
  const files = report.comparison?.files ?? [];
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
export function baseComparisonSections(report: ScanReport): string[] {
  return [...fixedSection(report), ...modesSection(report)];
}

/**
 * What "new" means, for the summary's first line: a finding the base does not have, or (for
 * files that fell back) a finding on a line the pull request touched.
 */
export const NEW_FINDINGS_MEANING =
  'only findings new in this pull request (absent from the merge base, wherever they moved) are reported';
