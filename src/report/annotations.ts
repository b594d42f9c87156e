import type { Finding, Severity } from '../engine/types.js';
import type { CheckAnnotation } from '../github/check-runs.js';

const LEVEL: Record<Severity, CheckAnnotation['annotation_level']> = {
  high: 'failure',
  medium: 'warning',
  low: 'notice',
};
/** GitHub's limit on an annotation title. */
const TITLE_LIMIT = 255;

/** One annotation per finding; `raw_details` carries the fingerprint so tools can match it. */
export function toAnnotation(finding: Finding): CheckAnnotation {
  const annotation: CheckAnnotation = {
    path: finding.path,
    start_line: finding.line,
    end_line: finding.endLine,
    annotation_level: LEVEL[finding.severity],
    title: `${finding.title} (${finding.ruleId})`.slice(0, TITLE_LIMIT),
    message: `${finding.message} [${finding.severity} severity, ${finding.confidence} confidence]${finding.introducedBy ? `\nNew in this pull request: ${finding.introducedBy.note}.` : ''}`,
    raw_details: `fingerprint: ${finding.fingerprint}`,
  };
  // GitHub accepts columns only on single-line annotations.
  if (finding.line === finding.endLine) {
    annotation.start_column = finding.column;
    annotation.end_column = Math.max(finding.column, finding.endColumn);
  }
  return annotation;
}
