import type { Finding, RuleMeta, Severity } from '../engine/types.js';
import { cweLink, escapeMarkdown, fencedBlock, inlineCode, plural } from './markdown.js';
import { withState, type MarkerKey } from './markers.js';

/** Findings listed in a review body; the check run lists them all. */
export const REVIEW_BODY_ROWS = 100;

const SEVERITY_ICON: Record<Severity, string> = { high: '🔴', medium: '🟠', low: '🟡' };

/** The prose of a rule's fix advice, without its code example (the suggestion shows real code). */
function fixProse(fix: string): string {
  return fix.split(/\n`{3,}/)[0].trim();
}

/**
 * One inline comment: what was found, why it matters, how to fix it, the CWE, the data flow, a
 * ready-to-apply suggestion when there is one, and the signed state (its fingerprint and rule)
 * later scans look for.
 */
export function renderReviewComment(
  finding: Finding,
  meta: RuleMeta | undefined,
  key: MarkerKey,
  suggestion?: string,
): string {
  const parts = [
    `${SEVERITY_ICON[finding.severity]} **${escapeMarkdown(finding.title)}** · ${inlineCode(finding.ruleId)} · ${finding.severity} severity, ${finding.confidence} confidence`,
    escapeMarkdown(finding.message),
  ];
  if (finding.introducedBy) parts.push(`**New in this pull request:** ${escapeMarkdown(finding.introducedBy.note)}.`);
  if (meta) parts.push(`**Why it matters.** ${meta.docs.why}`, `**How to fix it.** ${fixProse(meta.docs.fix)}`);
  if (finding.trace && finding.trace.length > 0) {
    parts.push(
      [
        '**Data flow**',
        '',
        ...finding.trace.map((step, i) => `${i + 1}. line ${step.line}: ${escapeMarkdown(step.note)}`),
      ].join('\n'),
    );
  }
  if (suggestion !== undefined)
    parts.push(
      `${escapeMarkdown(finding.fix?.description ?? 'Suggested fix')}:\n\n${fencedBlock(suggestion, 'suggestion')}`,
    );
  if (finding.cwe.length > 0) parts.push(finding.cwe.map(cweLink).join(' · '));
  return withState(parts.join('\n\n'), { fingerprint: finding.fingerprint, rule: finding.ruleId }, key);
}

/** The edited body of a comment whose finding is gone; its state keeps it recognisable. */
export function renderFixedComment(fingerprint: string, ruleId: string, headSha: string, key: MarkerKey): string {
  return withState(`✅ Fixed in ${headSha.slice(0, 7)}.`, { fingerprint, rule: ruleId, fixed: true }, key);
}

/** A finding the review mentions in its body instead of inline, and why. */
export interface BodyFinding {
  finding: Finding;
  reason: string;
}

function bodyLine({ finding, reason }: BodyFinding): string {
  return `- ${SEVERITY_ICON[finding.severity]} ${inlineCode(`${finding.path}:${finding.line}`)} **${escapeMarkdown(finding.title)}**: ${escapeMarkdown(finding.message)}${finding.introducedBy ? ` New: ${escapeMarkdown(finding.introducedBy.note)}.` : ''} (${reason})`;
}

/** The review's body: how many new findings, and those that could not be commented inline. */
export function renderReviewBody(
  headSha: string,
  inlineCount: number,
  bodyFindings: readonly BodyFinding[],
  key: MarkerKey,
): string {
  const total = inlineCount + bodyFindings.length;
  const lines = [`**Warden** found ${plural(total, 'new finding')} at ${inlineCode(headSha.slice(0, 7))}.`];
  if (inlineCount > 0) lines.push('', `${plural(inlineCount, 'finding is', 'findings are')} commented inline.`);
  const listed = bodyFindings.slice(0, REVIEW_BODY_ROWS);
  if (bodyFindings.length > 0) {
    lines.push('', inlineCount > 0 ? 'Not commented inline:' : 'Findings:', '', ...listed.map(bodyLine));
    if (bodyFindings.length > REVIEW_BODY_ROWS)
      lines.push(`- …and ${plural(bodyFindings.length - REVIEW_BODY_ROWS, 'more finding')}`);
  }
  lines.push('', 'The **Warden** check run lists every finding new in this pull request.');
  // Later scans read this to avoid listing the same findings again.
  return withState(lines.join('\n'), { listed: listed.map(({ finding }) => finding.fingerprint) }, key);
}
