import { isValidAnchor, type FileDiff } from '../diff/patch.js';
import { applyEdits } from '../engine/fixes.js';
import { levelRank, type Finding, type RuleMeta } from '../engine/types.js';
import type { ReviewComment, ReviewDraft } from '../github/reviews.js';
import type { MarkerKey } from '../report/markers.js';
import { renderReviewBody, renderReviewComment, type BodyFinding } from '../report/review.js';

/** A scanned file as the review needs it: its diff (for anchors) and its text (for suggestions). */
export interface ScannedFile {
  diff: FileDiff;
  text: string;
}

interface Anchor {
  line: number;
  /** `LEFT` for a removed line, whose number is its line in the base version. */
  side?: 'LEFT';
  startLine?: number;
  suggestion?: string;
}

function touchedLineIn(diff: FileDiff, first: number, last: number): number | undefined {
  for (let line = first; line <= last; line++)
    if (diff.touchedLines.has(line) && isValidAnchor(diff, line)) return line;
  return undefined;
}

/** The commented lines with the fix applied: a suggestion replaces exactly the commented range. */
function suggestionFor(finding: Finding, file: ScannedFile, first: number, last: number): string | undefined {
  const edits = finding.fix?.edits ?? [];
  if (edits.length === 0 || edits.some((edit) => edit.startLine < first || edit.endLine > last)) return undefined;
  const slice = file.text
    .split('\n')
    .slice(first - 1, last)
    .map((line) => line.replace(/\r$/, ''))
    .join('\n');
  return applyEdits(
    slice,
    edits.map((edit) => ({ ...edit, startLine: edit.startLine - first + 1, endLine: edit.endLine - first + 1 })),
  );
}

function span(first: number, last: number, suggestion?: string): Anchor {
  const anchor: Anchor = { line: last };
  if (first < last) anchor.startLine = first;
  if (suggestion !== undefined) anchor.suggestion = suggestion;
  return anchor;
}

/**
 * Where a finding can be commented on without GitHub rejecting the review: its own lines when the
 * PR touched them (widened to cover its fix, so the fix can be a suggestion), else the touched
 * trace step nearest to it, else the changed line that made it new (a removed line goes on the
 * `LEFT` side), else nowhere (it goes into the review body).
 */
export function anchorFor(finding: Finding, file: ScannedFile): Anchor | undefined {
  const { diff } = file;
  const touched = touchedLineIn(diff, finding.line, finding.endLine);
  if (touched !== undefined) {
    const edits = finding.fix?.edits ?? [];
    const first = Math.min(finding.line, ...edits.map((edit) => edit.startLine));
    const last = Math.max(finding.endLine, ...edits.map((edit) => edit.endLine));
    if (isValidAnchor(diff, last, first)) return span(first, last, suggestionFor(finding, file, first, last));
    if (isValidAnchor(diff, finding.endLine, finding.line)) return span(finding.line, finding.endLine);
    return span(touched, touched);
  }
  const traceLines = (finding.trace ?? [])
    .map((step) => step.line)
    .filter((line) => diff.touchedLines.has(line) && isValidAnchor(diff, line));
  if (traceLines.length === 0) return causeAnchor(finding, diff);
  const nearest = traceLines.reduce((best, line) =>
    Math.abs(line - finding.line) < Math.abs(best - finding.line) ? line : best,
  );
  return span(nearest, nearest);
}

function causeAnchor(finding: Finding, diff: FileDiff): Anchor | undefined {
  const anchor = finding.introducedBy?.anchor;
  if (!anchor || !isValidAnchor(diff, anchor.line, undefined, anchor.side)) return undefined;
  return anchor.side === 'LEFT' ? { line: anchor.line, side: 'LEFT' } : span(anchor.line, anchor.line);
}

export interface ReviewPlan {
  draft: ReviewDraft;
  /** Findings that got an inline comment. */
  inline: Finding[];
}

export interface ReviewOptions {
  /** Each rule's metadata, for the comment's title and references. */
  metas: ReadonlyMap<string, RuleMeta>;
  headSha: string;
  /** `comments.max_comments`: inline comments past it go to the body. */
  maxComments: number;
  /** Signs the state each comment carries. */
  markerKey: MarkerKey;
}

/**
 * Turns the new findings into one review: at most `maxComments` inline comments, most severe
 * first; the rest, and those with no valid anchor, summarised in the body.
 */
export function planReview(
  findings: readonly Finding[],
  files: ReadonlyMap<string, ScannedFile>,
  { metas, headSha, maxComments, markerKey: key }: ReviewOptions,
): ReviewPlan {
  const ordered = [...findings].sort(
    (a, b) =>
      levelRank(b.severity) - levelRank(a.severity) ||
      levelRank(b.confidence) - levelRank(a.confidence) ||
      a.path.localeCompare(b.path) ||
      a.line - b.line,
  );
  const comments: ReviewComment[] = [];
  const inline: Finding[] = [];
  const bodyFindings: BodyFinding[] = [];
  for (const finding of ordered) {
    const file = files.get(finding.path);
    const anchor = file ? anchorFor(finding, file) : undefined;
    if (!anchor) {
      bodyFindings.push({ finding, reason: 'not on a line of the diff' });
      continue;
    }
    if (comments.length >= maxComments) {
      bodyFindings.push({ finding, reason: `over the ${maxComments}-comment limit` });
      continue;
    }
    const comment: ReviewComment = {
      path: finding.path,
      line: anchor.line,
      side: anchor.side ?? 'RIGHT',
      body: renderReviewComment(finding, metas.get(finding.ruleId), key, anchor.suggestion),
    };
    if (anchor.startLine !== undefined) Object.assign(comment, { start_line: anchor.startLine, start_side: 'RIGHT' });
    comments.push(comment);
    inline.push(finding);
  }
  const allInBody = ordered.map((finding) => ({ finding, reason: 'GitHub refused the inline comment' }));
  return {
    draft: {
      body: renderReviewBody(headSha, comments.length, bodyFindings, key),
      comments,
      bodyWithoutComments: renderReviewBody(headSha, 0, allInBody, key),
    },
    inline,
  };
}
