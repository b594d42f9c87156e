import { SEVERITIES, type Finding, type Severity } from '../engine/types.js';
import type { ScanReport } from './json.js';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function findingLines(finding: Finding): string[] {
  const lines = [
    `${finding.path}:${finding.line}:${finding.column}: ${finding.severity} ${finding.ruleId} ${finding.message} (confidence: ${finding.confidence})`,
  ];
  for (const step of finding.trace ?? []) lines.push(`    ${finding.path}:${step.line}:${step.column}: ${step.note}`);
  if (finding.introducedBy) lines.push(`    new: ${finding.introducedBy.note}`);
  return lines;
}

/** `3 findings (1 high, 2 low) in 12 files; 1 skipped (0.41 s)`: the last line of a report. */
export function summaryLine(report: ScanReport): string {
  const active = report.findings.filter((finding) => !finding.suppressed);
  const suppressed = report.findings.length - active.length;
  const { stats } = report;
  const bySeverity = [...SEVERITIES]
    .reverse()
    .map((severity: Severity) => [severity, active.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  let line = `${active.length === 0 ? 'No findings' : `${plural(active.length, 'finding')} (${bySeverity.join(', ')})`} in ${plural(stats.files, 'file')}`;
  if (suppressed > 0) line += `, ${suppressed} suppressed`;
  if (stats.baselined) line += `, ${stats.baselined} in the baseline`;
  const problems: string[] = [];
  if (stats.skipped.length > 0) problems.push(`${stats.skipped.length} skipped`);
  if (stats.parseErrors > 0) problems.push(`${stats.parseErrors} with syntax errors`);
  if (stats.incomplete.length > 0)
    problems.push(`${new Set(stats.incomplete.map((entry) => entry.path)).size} incomplete`);
  if (problems.length > 0) line += `; ${problems.join(', ')}`;
  const fixed = stats.baseComparison?.fixed.length ?? 0;
  if (fixed > 0) line += `; this change fixes ${plural(fixed, 'finding')}`;
  return `${line} (${(stats.durationMs / 1000).toFixed(2)} s)`;
}

/**
 * Compiler-style output: one `path:line:col: severity rule-id message` line per finding, its
 * trace indented below, then the files that could not be (fully) scanned and a summary line.
 * Suppressed findings are counted but not listed.
 */
export function renderText(report: ScanReport): string {
  const lines = report.findings.filter((finding) => !finding.suppressed).flatMap(findingLines);
  const { stats } = report;
  for (const error of stats.parseErrorFiles)
    lines.push(
      `${error.path}:${error.line}:${error.column}: syntax error: ${error.message} (the rest of the file was scanned)`,
    );
  for (const entry of stats.incomplete)
    lines.push(`${entry.path}: incomplete${entry.ruleId ? ` (rule ${entry.ruleId})` : ''}: ${entry.reason}`);
  for (const entry of stats.skipped) lines.push(`${entry.path}: skipped: ${entry.reason}`);
  for (const entry of stats.notes) lines.push(`${entry.path}: note: ${entry.note}`);
  for (const file of stats.baseComparison?.files ?? [])
    if (file.fallbackReason)
      lines.push(`${file.path}: note: only findings on changed lines count, since ${file.fallbackReason}`);
  for (const finding of stats.baseComparison?.fixed ?? [])
    lines.push(
      `${finding.path}:${finding.line}:${finding.column}: fixed: ${finding.severity} ${finding.ruleId} (in the base)`,
    );
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
