import type { Finding, Severity } from '../engine/types.js';

/** A check-run annotation, in the shape GitHub's check-run API takes. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
  raw_details: string;
}

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
