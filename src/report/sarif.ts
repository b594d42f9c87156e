import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Confidence, Finding, RuleIdentity, Severity } from '../engine/types.js';
import type { ScanReport } from './json.js';
import { GITHUB_SARIF_LIMITS, keepMostSevere, withTraceFitting, type SarifLimits } from './sarif-limits.js';

/** GitHub maps these onto its critical/high/medium/low labels (>= 9.0, 7.0–8.9, 4.0–6.9, < 4.0). */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };
const PRECISION: Record<Confidence, string> = { high: 'high', medium: 'medium', low: 'low' };

/** The fingerprint's key; bump the version if the fingerprint's inputs ever change. */
export const FINGERPRINT_KEY = 'wardenFingerprint/v2';

export interface SarifOptions {
  /** Every enabled rule: the driver lists them all, so `ruleIndex` stays stable across scans. */
  rules: readonly RuleIdentity[];
  /**
   * Where the rule pages live; `<base><id>.md` becomes each rule's helpUri. Without it, the
   * rule's first reference is used (SARIF wants an absolute URI).
   */
  docsBaseUri?: string;
  /** The tool's home page (`driver.informationUri`). */
  informationUri?: string;
  /**
   * `automationDetails.id`: `category/` keeps this analysis apart from others uploaded for the
   * same commit (default `warden/`).
   */
  automationId?: string;
  /** What the upload may hold (default: GitHub code scanning's limits). */
  limits?: SarifLimits;
}

type Json = Record<string, unknown>;

/** `subprocess-shell-true` → `SubprocessShellTrue`, the form code scanning shows as the rule name. */
function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}

function helpMarkdown(rule: RuleIdentity): string {
  const { docs } = rule.meta;
  const sections = [
    `## What it does\n\n${rule.meta.title}.`,
    `## Why is this bad?\n\n${docs.why}`,
    `## Example\n\n\`\`\`python\n${docs.example}\n\`\`\``,
    `## How to fix\n\n${docs.fix}`,
  ];
  if (docs.knownProblems) sections.push(`## Known problems\n\n${docs.knownProblems}`);
  sections.push(`## References\n\n${docs.references.map((url) => `- <${url}>`).join('\n')}`);
  return sections.join('\n\n');
}

function helpText(rule: RuleIdentity): string {
  const { docs } = rule.meta;
  const parts = [docs.why, `Example:\n${docs.example}`, `How to fix: ${docs.fix}`];
  if (docs.knownProblems) parts.push(`Known problems: ${docs.knownProblems}`);
  parts.push(`References:\n${docs.references.join('\n')}`);
  return parts.join('\n\n');
}

function ruleDescriptor(rule: RuleIdentity, docsBaseUri: string | undefined): Json {
  const { meta } = rule;
  const helpUri = docsBaseUri ? `${docsBaseUri}${rule.id}.md` : meta.docs.references[0];
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.docs.why },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', meta.category, ...meta.cwe.map((cwe) => `external/cwe/cwe-${cwe}`)],
      precision: PRECISION[meta.confidence],
      'problem.severity':
        meta.severity === 'high' ? 'error' : meta.severity === 'medium' ? 'warning' : 'recommendation',
      'security-severity': SECURITY_SEVERITY[meta.severity],
    },
  };
}

/** Relative paths resolve against the checkout (`%SRCROOT%`); files outside it get `file:` URIs. */
function artifactLocation(path: string): Json {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function physicalLocation(path: string, region: Json): Json {
  return { physicalLocation: { artifactLocation: artifactLocation(path), region } };
}

function findingRegion(finding: Finding): Json {
  return {
    startLine: finding.line,
    startColumn: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
  };
}

/** The trace as one thread flow, ending at the sink itself. */
function codeFlow(finding: Finding): Json {
  const steps = (finding.trace ?? []).map((step) => ({
    location: {
      ...physicalLocation(finding.path, { startLine: step.line, startColumn: step.column }),
      message: { text: step.note },
    },
  }));
  const last = finding.trace?.at(-1);
  if (!last || last.line !== finding.line || last.column !== finding.column) {
    steps.push({
      location: { ...physicalLocation(finding.path, findingRegion(finding)), message: { text: finding.message } },
    });
  }
  return { threadFlows: [{ locations: steps }] };
}

function result(finding: Finding, ruleIndex: number): Json {
  const entry: Json = {
    ruleId: finding.ruleId,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [physicalLocation(finding.path, findingRegion(finding))],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    properties: { severity: finding.severity, confidence: finding.confidence },
  };
  if (finding.trace && finding.trace.length > 0) entry.codeFlows = [codeFlow(finding)];
  if (finding.fix) {
    entry.fixes = [
      {
        description: { text: finding.fix.description },
        artifactChanges: [
          {
            artifactLocation: artifactLocation(finding.path),
            // A region with lines and no columns spans those whole lines, newline excluded.
            replacements: finding.fix.edits.map((edit) => ({
              deletedRegion: { startLine: edit.startLine, endLine: edit.endLine },
              insertedContent: { text: edit.replacement },
            })),
          },
        ],
      },
    ];
  }
  if (finding.suppressed)
    entry.suppressions = [
      { kind: 'inSource', justification: `${finding.suppressed.comment} (line ${finding.suppressed.line})` },
    ];
  return entry;
}

/** Files not fully scanned, skipped or not fully parsed, as notifications GitHub shows with the analysis. */
function notifications(report: ScanReport): Json[] {
  const skipped = report.stats.skipped.map((entry) => ({
    level: 'warning',
    message: { text: `Skipped ${entry.path}: ${entry.reason}` },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(entry.path) } }],
  }));
  const syntax = report.stats.parseErrorFiles.map((error) => ({
    level: 'note',
    message: { text: `Syntax error (${error.message}); the rest of the file was scanned` },
    locations: [physicalLocation(error.path, { startLine: error.line, startColumn: error.column })],
  }));
  const incomplete = report.stats.incomplete.map((entry) => ({
    level: 'error',
    message: {
      text: `Not fully scanned${entry.ruleId ? ` by rule ${entry.ruleId}` : ''}: ${entry.path}: ${entry.reason}`,
    },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(entry.path) } }],
    ...(entry.ruleId ? { associatedRule: { id: entry.ruleId } } : {}),
  }));
  return [...incomplete, ...skipped, ...syntax];
}

function serialize(report: ScanReport, options: SarifOptions, findings: readonly Finding[], cuts: string[]): string {
  const ruleIndex = new Map(options.rules.map((rule, index) => [rule.id, index]));
  const cutNotifications = cuts.map((text) => ({ level: 'warning', message: { text } }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Warden',
            version: report.version,
            semanticVersion: report.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: options.rules.map((rule) => ruleDescriptor(rule, options.docsBaseUri)),
          },
        },
        automationDetails: { id: options.automationId ?? 'warden/' },
        // An incomplete scan did not do its job: SARIF consumers must not read it as a clean bill.
        invocations: [
          {
            executionSuccessful: report.stats.incomplete.length === 0,
            toolExecutionNotifications: [...cutNotifications, ...notifications(report)],
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => result(finding, ruleIndex.get(finding.ruleId) ?? -1)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const number = (count: number) => count.toLocaleString('en-US');

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it (upload with github/codeql-action/upload-sarif).
 * A report beyond code scanning's upload limits is cut to fit, most severe findings kept, and
 * the run's notifications say what was left out: GitHub rejects an oversized file whole.
 */
export function renderSarif(report: ScanReport, options: SarifOptions): string {
  const limits = options.limits ?? GITHUB_SARIF_LIMITS;
  const cuts: string[] = [];
  let findings = report.findings.map((finding) => withTraceFitting(finding, limits.threadFlowLocationsPerResult));
  const cutTraces = findings.filter((finding, index) => finding !== report.findings[index]).length;
  if (cutTraces > 0)
    cuts.push(
      `${number(cutTraces)} data-flow trace(s) had more steps than the ${number(limits.threadFlowLocationsPerResult)} thread-flow locations GitHub accepts per result; they keep their first steps and the sink.`,
    );
  if (findings.length > limits.resultsPerRun) {
    cuts.push(
      `${number(findings.length - limits.resultsPerRun)} of ${number(findings.length)} results were left out: GitHub accepts ${number(limits.resultsPerRun)} per run, so the most severe were kept. The text and JSON formats list every finding.`,
    );
    findings = keepMostSevere(findings, limits.resultsPerRun);
  }
  const fittingResults = findings.length;
  let text = serialize(report, options, findings, cuts);
  for (let size = gzipSync(text).length; size > limits.gzipBytes && findings.length > 0;) {
    // Shrink in proportion to the overshoot, with a margin, so a few passes suffice.
    findings = keepMostSevere(findings, Math.floor((findings.length * limits.gzipBytes * 0.9) / size));
    const sizeCut = `${number(fittingResults - findings.length)} of ${number(fittingResults)} results were left out to keep the file under the ${number(limits.gzipBytes)} bytes (gzip-compressed) GitHub accepts, the most severe kept. The text and JSON formats list every finding.`;
    text = serialize(report, options, findings, [...cuts, sizeCut]);
    size = gzipSync(text).length;
  }
  return text;
}
