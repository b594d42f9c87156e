import type { Finding, Severity } from '../engine/types.js';
import type { ScanReport } from './json.js';
import { summaryLine } from './text.js';

/** GitHub Actions shows these as red, yellow and blue annotations on the PR's files. */
const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { high: 'error', medium: 'warning', low: 'notice' };

/** A command's message: `%`, CR and LF are escaped, so one finding stays one command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: `:` and `,` end a property, so they are escaped too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, properties: Record<string, string | number>, message: string): string {
  const list = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name} ${list}::${escapeData(message)}`;
}

function findingCommand(finding: Finding): string {
  const lines = [`${finding.message} (confidence: ${finding.confidence})`];
  for (const step of finding.trace ?? []) lines.push(`line ${step.line}: ${step.note}`);
  if (finding.fix) lines.push(`Fix: ${finding.fix.description}`);
  return command(
    COMMAND[finding.severity],
    {
      file: finding.path,
      line: finding.line,
      col: finding.column,
      endLine: finding.endLine,
      // GitHub takes endColumn only on a single-line annotation.
      ...(finding.endLine === finding.line ? { endColumn: finding.endColumn } : {}),
      title: `${finding.ruleId}: ${finding.title}`,
    },
    lines.join('\n'),
  );
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), one per unsuppressed
 * finding, so a `warden scan --format github` step annotates the PR's files without a SARIF
 * upload; files that could not be fully scanned become warnings, and the summary line closes the log.
 */
export function renderGithubAnnotations(report: ScanReport): string {
  const lines = report.findings.filter((finding) => !finding.suppressed).map(findingCommand);
  const { stats } = report;
  for (const error of stats.parseErrorFiles)
    lines.push(
      command(
        'warning',
        { file: error.path, line: error.line, col: error.column, title: 'Warden: syntax error' },
        `${error.message}; the rest of the file was scanned`,
      ),
    );
  // A file not fully scanned fails the run (exit 2), so it is an error, not a warning.
  for (const part of stats.incomplete)
    lines.push(
      command(
        'error',
        {
          file: part.path,
          title: part.ruleId ? `Warden: rule ${part.ruleId} did not finish` : 'Warden: not fully scanned',
        },
        part.reason,
      ),
    );
  for (const entry of stats.skipped)
    lines.push(command('warning', { file: entry.path, title: 'Warden: file not scanned' }, entry.reason));
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
