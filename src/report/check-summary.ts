import { levelRank, SEVERITIES, type Finding, type Severity } from '../engine/types.js';
import { baseComparisonSections, NEW_FINDINGS_MEANING } from './base-comparison.js';
import { describeIncomplete } from './json.js';
import { VERDICT_TEXT, type DismissedFinding } from './conversation.js';
import { escapeMarkdown, inlineCode, plural, tableCell, truncateMarkdown } from './markdown.js';
import type { PullRequestReport } from './pull-request.js';

/** GitHub rejects a check-run summary longer than this with a 422. */
export const SUMMARY_LIMIT = 65_535;
/** Rows of the findings table; the annotations carry every finding. */
export const SUMMARY_TABLE_ROWS = 50;
/** Skipped files and notes listed one by one; the rest are counted. */
export const SUMMARY_LIST_ROWS = 50;

const SEVERITY_LABEL: Record<Severity, string> = { high: '🔴 High', medium: '🟠 Medium', low: '🟡 Low' };

function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** What the scan read: the Python files, and the templates and dependency manifests if there were any. */
function scannedFiles(report: PullRequestReport): string {
  const parts = [
    plural(report.filesScanned, 'Python file'),
    ...(report.templatesScanned ? [plural(report.templatesScanned, 'template')] : []),
    ...(report.manifestsChecked ? [plural(report.manifestsChecked, 'dependency manifest')] : []),
  ];
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The check run's one-line title. */
export function checkTitle(report: PullRequestReport, dismissedCount = 0): string {
  const dismissed = dismissedCount > 0 ? `; ${dismissedCount} dismissed` : '';
  const incomplete = report.incomplete.length > 0 ? `; ${describeIncomplete(report.incomplete)}` : '';
  if (report.findings.length === 0) return `No findings in ${scannedFiles(report)}${dismissed}${incomplete}`;
  const counts = countBySeverity(report.findings);
  const parts = [...SEVERITIES]
    .reverse()
    .filter((severity) => counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${severity}`);
  return `${plural(report.findings.length, 'finding')} (${parts.join(', ')})${dismissed}${incomplete}`;
}

function findingsSection(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  const counts = countBySeverity(findings);
  const lines = ['| Severity | Findings |', '|---|---|'];
  for (const severity of [...SEVERITIES].reverse()) lines.push(`| ${SEVERITY_LABEL[severity]} | ${counts[severity]} |`);
  lines.push('', '### Findings', '', '| Severity | Confidence | Rule | Location | Message |', '|---|---|---|---|---|');
  const ordered = [...findings].sort(
    (a, b) => levelRank(b.severity) - levelRank(a.severity) || levelRank(b.confidence) - levelRank(a.confidence),
  );
  for (const finding of ordered.slice(0, SUMMARY_TABLE_ROWS)) {
    const location = tableCell(inlineCode(`${finding.path}:${finding.line}`));
    lines.push(
      `| ${finding.severity} | ${finding.confidence} | ${tableCell(inlineCode(finding.ruleId))} | ${location} | ${tableCell(finding.message)} |`,
    );
  }
  if (ordered.length > SUMMARY_TABLE_ROWS)
    lines.push('', `…and ${ordered.length - SUMMARY_TABLE_ROWS} more (every finding is an annotation).`);
  return [...lines, ''];
}

/** Findings someone dismissed on their review comment: they count for nothing, but stay visible. */
function dismissedSection(dismissed: readonly DismissedFinding[]): string[] {
  if (dismissed.length === 0) return [];
  const lines = ['### Dismissed', '', '| Rule | Location | Dismissed as | By | Reason |', '|---|---|---|---|---|'];
  for (const { ruleId, path, line, triage } of dismissed.slice(0, SUMMARY_TABLE_ROWS)) {
    lines.push(
      `| ${tableCell(inlineCode(ruleId))} | ${tableCell(inlineCode(`${path}:${line}`))} | ${VERDICT_TEXT[triage.verdict]} | @${triage.by} | ${tableCell(triage.reason || '(none given)')} |`,
    );
  }
  if (dismissed.length > SUMMARY_TABLE_ROWS)
    lines.push('', `…and ${plural(dismissed.length - SUMMARY_TABLE_ROWS, 'more dismissed finding')}.`);
  return [...lines, ''];
}

function skippedSection(report: PullRequestReport): string[] {
  const lines: string[] = [];
  if (report.nonPythonCount > 0)
    lines.push(
      `- ${plural(report.nonPythonCount, 'changed file')} that ${report.nonPythonCount === 1 ? 'is' : 'are'} not Python (by \`paths.include\`)`,
    );
  if (report.unlistedCount > 0)
    lines.push(
      `- ${plural(report.unlistedCount, 'file')} past GitHub's 3,000-file listing limit: they could not be seen`,
    );
  lines.push(
    ...cappedList(
      report.skipped.map((file) => `${inlineCode(file.path)}: ${escapeMarkdown(file.reason)}`),
      'more skipped file',
    ),
  );
  return lines.length === 0 ? [] : ['### Not scanned', '', ...lines, ''];
}

/** First thing in the summary: why the check cannot pass even without findings. */
function incompleteSection(report: PullRequestReport): string[] {
  if (report.incomplete.length === 0) return [];
  return [
    '### Not fully scanned',
    '',
    `${escapeMarkdown(describeIncomplete(report.incomplete))}: this check cannot succeed until they are.`,
    '',
    ...cappedList(
      report.incomplete.map(
        (entry) =>
          `${inlineCode(entry.path)}${entry.ruleId ? ` (rule ${inlineCode(entry.ruleId)})` : ''}: ${escapeMarkdown(entry.reason)}`,
      ),
      'more incomplete file',
    ),
    '',
  ];
}

/** Bullet points, at most `SUMMARY_LIST_ROWS` of them, then a count of the rest. */
function cappedList(items: readonly string[], moreNoun: string): string[] {
  const lines = items.slice(0, SUMMARY_LIST_ROWS).map((item) => `- ${item}`);
  if (items.length > SUMMARY_LIST_ROWS) lines.push(`- …and ${plural(items.length - SUMMARY_LIST_ROWS, moreNoun)}`);
  return lines;
}

function listSection(heading: string, items: readonly string[], moreNoun: string): string[] {
  return items.length === 0 ? [] : [`### ${heading}`, '', ...cappedList(items, moreNoun), ''];
}

/** The check run's Markdown summary: counts, findings, what was skipped and why, config errors. */
export function renderCheckSummary(report: PullRequestReport, dismissed: readonly DismissedFinding[] = []): string {
  const lines = [
    `Scanned ${scannedFiles(report)} at ${inlineCode(report.headSha.slice(0, 7))}; ${NEW_FINDINGS_MEANING}.`,
    '',
    ...incompleteSection(report),
    ...listSection('Problems', report.problems.map(escapeMarkdown), 'more problem'),
    ...listSection('Configuration errors', report.configErrors.map(escapeMarkdown), 'more configuration error'),
    ...findingsSection(report.findings),
    ...dismissedSection(dismissed),
    ...baseComparisonSections(report.comparison),
  ];
  if (report.suppressedCount > 0)
    lines.push(
      `${plural(report.suppressedCount, 'new finding')} ${report.suppressedCount === 1 ? 'was' : 'were'} suppressed by comments in the code.`,
      '',
    );
  lines.push(...skippedSection(report));
  lines.push(
    ...listSection(
      'Notes',
      report.notes.map((note) => `${inlineCode(note.path)}: ${escapeMarkdown(note.message)}`),
      'more note',
    ),
  );
  return truncateMarkdown(lines.join('\n').trimEnd(), SUMMARY_LIMIT, "*The summary was cut at GitHub's size limit.*");
}
