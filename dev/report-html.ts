import { escapeHtml, renderMarkdown } from './markdown-html.js';

/** One changed file as the PR's "Files changed" tab shows it. */
export interface ReportFile {
  filename: string;
  status: string;
  /** The unified-diff hunks; absent for binary or very large diffs. */
  patch?: string;
  /** The file at the PR head, for the lines a suggestion replaces. */
  headLines: string[];
}

export interface ReportComment {
  id: number;
  path: string;
  line: number;
  startLine: number | null;
  side: 'LEFT' | 'RIGHT';
  body: string;
  author: string;
  /** GitHub's minimized reason (`outdated`, `resolved`, …), or null. */
  minimizedReason: string | null;
  /** The comment was made on a line that has changed since; GitHub shows it as outdated. */
  outdated: boolean;
  /** The diff GitHub stored with the comment, ending at the commented line. */
  diffHunk: string;
}

/** A check-run annotation, which GitHub also shows under its line in the diff. */
export interface ReportAnnotation {
  path: string;
  line: number;
  level: string;
  title: string;
  message: string;
}

export interface ReportCheckRun {
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  title: string | null;
  summary: string | null;
  annotationCount: number;
}

export interface PullRequestReport {
  repository: string;
  number: number;
  title: string;
  author: string;
  headSha: string;
  files: ReportFile[];
  comments: ReportComment[];
  /** Newest first. */
  checkRuns: ReportCheckRun[];
  /** The latest check run's annotations. */
  annotations: ReportAnnotation[];
}

interface DiffRow {
  kind: 'hunk' | 'context' | 'add' | 'del' | 'note';
  oldLine?: number;
  newLine?: number;
  text: string;
}

function diffRows(patch: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const text of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      oldLine = Number(header[1]);
      newLine = Number(header[2]);
      rows.push({ kind: 'hunk', text });
    } else if (text.startsWith('+')) rows.push({ kind: 'add', newLine: newLine++, text: text.slice(1) });
    else if (text.startsWith('-')) rows.push({ kind: 'del', oldLine: oldLine++, text: text.slice(1) });
    else if (text.startsWith('\\')) rows.push({ kind: 'note', text });
    else rows.push({ kind: 'context', oldLine: oldLine++, newLine: newLine++, text: text.slice(1) });
  }
  return rows;
}

function anchorsAt(row: DiffRow, comment: ReportComment): boolean {
  if (comment.outdated) return false;
  if (comment.side === 'RIGHT') return row.newLine === comment.line && row.kind !== 'del';
  return row.oldLine === comment.line && row.kind !== 'add';
}

/** A suggestion as GitHub shows it: the commented lines removed, the suggested lines added. */
function suggestionHtml(file: ReportFile | undefined, comment: ReportComment, content: string): string {
  const first = comment.startLine ?? comment.line;
  const original = file ? file.headLines.slice(first - 1, comment.line) : [];
  const suggested = content === '' ? [] : content.split('\n');
  const rows = [
    ...original.map(
      (text, offset) =>
        `<tr class="del"><td class="num">${first + offset}</td><td class="sign">-</td><td class="code">${escapeHtml(text)}</td></tr>`,
    ),
    ...suggested.map(
      (text) =>
        `<tr class="add"><td class="num"></td><td class="sign">+</td><td class="code">${escapeHtml(text)}</td></tr>`,
    ),
  ];
  return `<div class="suggestion"><div class="suggestion-header">Suggested change</div><table class="suggestion-diff">${rows.join('')}</table></div>`;
}

/** An outdated comment carries the lines it was made on, as GitHub shows above such a comment. */
function hunkContextHtml(comment: ReportComment): string {
  const lines = comment.diffHunk
    .split('\n')
    .filter((line) => !line.startsWith('@@'))
    .slice(-4);
  const rows = lines.map((line) => {
    const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'context';
    return `<tr class="${kind}"><td class="sign">${escapeHtml(line.slice(0, 1))}</td><td class="code">${escapeHtml(line.slice(1))}</td></tr>`;
  });
  return `<table class="hunk-context">${rows.join('')}</table>`;
}

function commentHtml(file: ReportFile | undefined, comment: ReportComment): string {
  const body = renderMarkdown(comment.body, (info, content) =>
    info === 'suggestion' ? suggestionHtml(file, comment, content) : undefined,
  );
  const range = comment.startLine !== null ? `lines ${comment.startLine}–${comment.line}` : `line ${comment.line}`;
  const header = `<div class="comment-header"><strong>${escapeHtml(comment.author)}</strong> commented on ${range}${comment.outdated ? ' <span class="label">Outdated</span>' : ''}</div>${comment.outdated ? hunkContextHtml(comment) : ''}`;
  const attributes = `class="comment${comment.minimizedReason ? ' minimized' : ''}" data-comment-id="${comment.id}" data-path="${escapeHtml(comment.path)}" data-line="${comment.line}" data-side="${comment.side}"`;
  if (comment.minimizedReason) {
    return `<div ${attributes}><details><summary>This comment was marked as ${escapeHtml(comment.minimizedReason.toLowerCase())}.</summary>${header}<div class="comment-body">${body}</div></details></div>`;
  }
  return `<div ${attributes}>${header}<div class="comment-body">${body}</div></div>`;
}

function annotationHtml(annotation: ReportAnnotation): string {
  const level =
    annotation.level === 'failure'
      ? 'Check failure'
      : annotation.level === 'warning'
        ? 'Check warning'
        : 'Check notice';
  return `<div class="annotation ${escapeHtml(annotation.level)}" data-path="${escapeHtml(annotation.path)}" data-line="${annotation.line}"><strong>${level}</strong>: ${escapeHtml(annotation.title)}<div>${escapeHtml(annotation.message)}</div></div>`;
}

function fileHtml(file: ReportFile, comments: ReportComment[], annotations: ReportAnnotation[]): string {
  const placed = new Set<number>();
  const rows: string[] = [];
  if (file.patch === undefined) {
    rows.push('<tr class="note"><td colspan="3">Binary file or large diff not shown.</td></tr>');
  } else {
    for (const row of diffRows(file.patch)) {
      if (row.kind === 'hunk' || row.kind === 'note') {
        rows.push(`<tr class="${row.kind}"><td colspan="3">${escapeHtml(row.text)}</td></tr>`);
        continue;
      }
      const sign = row.kind === 'add' ? '+' : row.kind === 'del' ? '-' : ' ';
      rows.push(
        `<tr class="line ${row.kind}" data-old-line="${row.oldLine ?? ''}" data-new-line="${row.newLine ?? ''}"><td class="num old">${row.oldLine ?? ''}</td><td class="num new">${row.newLine ?? ''}</td><td class="code"><span class="sign">${sign}</span>${escapeHtml(row.text)}</td></tr>`,
      );
      const here = comments.filter((comment) => !placed.has(comment.id) && anchorsAt(row, comment));
      if (here.length > 0) {
        here.forEach((comment) => placed.add(comment.id));
        rows.push(
          `<tr class="comment-row"><td colspan="3">${here.map((comment) => commentHtml(file, comment)).join('')}</td></tr>`,
        );
      }
      const annotated = row.kind === 'del' ? [] : annotations.filter((annotation) => annotation.line === row.newLine);
      if (annotated.length > 0)
        rows.push(`<tr class="annotation-row"><td colspan="3">${annotated.map(annotationHtml).join('')}</td></tr>`);
    }
  }
  const elsewhere = comments.filter((comment) => !placed.has(comment.id));
  const outdated =
    elsewhere.length > 0
      ? `<div class="outdated"><h4>Comments on earlier versions of this file</h4>${elsewhere.map((comment) => commentHtml(file, { ...comment, outdated: true })).join('')}</div>`
      : '';
  return `<section class="file" data-path="${escapeHtml(file.filename)}"><div class="file-header"><span class="status">${escapeHtml(file.status)}</span> ${escapeHtml(file.filename)}</div><table class="diff">${rows.join('\n')}</table>${outdated}</section>`;
}

function checkRunHtml(run: ReportCheckRun, latest: boolean): string {
  const state = run.status === 'completed' ? (run.conclusion ?? 'completed') : run.status;
  const body = `<div class="check-summary">${run.title ? `<h3>${escapeHtml(run.title)}</h3>` : ''}${renderMarkdown(run.summary ?? '')}</div>`;
  const header = `<span class="check-state ${escapeHtml(state)}">${escapeHtml(state)}</span> <strong>${escapeHtml(run.name)}</strong> at <code>${run.headSha.slice(0, 7)}</code> · ${run.annotationCount} annotation${run.annotationCount === 1 ? '' : 's'}`;
  return latest
    ? `<div class="check-run latest">${header}${body}</div>`
    : `<details class="check-run"><summary>${header}</summary>${body}</details>`;
}

const STYLE = `
body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 24px; font-weight: 400; } h1 .number { color: #59636e; }
.meta { color: #59636e; margin-bottom: 16px; }
.check-run { border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px 16px; margin: 8px 0; background: #f6f8fa; }
.check-state { border-radius: 12px; padding: 1px 8px; color: #fff; background: #59636e; font-size: 12px; }
.check-state.success { background: #1f883d; } .check-state.failure { background: #d1242f; } .check-state.neutral { background: #59636e; } .check-state.in_progress { background: #9a6700; }
.file { border: 1px solid #d1d9e0; border-radius: 6px; margin: 16px 0; overflow: hidden; }
.file-header { background: #f6f8fa; padding: 8px 16px; border-bottom: 1px solid #d1d9e0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.status { font-size: 12px; color: #59636e; text-transform: uppercase; }
table.diff { border-collapse: collapse; width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
table.diff td { padding: 0 8px; vertical-align: top; white-space: pre-wrap; }
td.num { width: 1%; min-width: 40px; text-align: right; color: #59636e; user-select: none; }
tr.add td { background: #dafbe1; } tr.add td.num { background: #aceebb; }
tr.del td { background: #ffebe9; } tr.del td.num { background: #ffcecb; }
tr.hunk td { background: #ddf4ff; color: #59636e; padding: 4px 8px; }
.sign { display: inline-block; width: 1.2em; color: #59636e; }
tr.comment-row > td { background: #fff; padding: 8px 16px; white-space: normal; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px; border-top: 1px solid #d1d9e0; border-bottom: 1px solid #d1d9e0; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; margin: 4px 0; padding: 8px 12px; }
.comment.minimized { background: #f6f8fa; color: #59636e; }
.comment-header { color: #59636e; margin-bottom: 4px; }
.label { border: 1px solid #9a6700; color: #9a6700; border-radius: 12px; padding: 0 6px; font-size: 12px; }
.suggestion { border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; margin: 8px 0; }
.suggestion-header { background: #f6f8fa; padding: 4px 8px; border-bottom: 1px solid #d1d9e0; font-size: 12px; }
table.suggestion-diff { border-collapse: collapse; width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
table.suggestion-diff td, table.hunk-context td { padding: 0 8px; white-space: pre-wrap; }
table.hunk-context { border-collapse: collapse; width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; margin-bottom: 8px; }
code { background: #eff1f3; border-radius: 4px; padding: 0 4px; font-size: 85%; }
pre { background: #f6f8fa; padding: 8px; border-radius: 6px; overflow: auto; }
pre code { background: none; padding: 0; }
table:not(.diff):not(.suggestion-diff):not(.hunk-context) { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 2px 8px; }
table.diff td, table.suggestion-diff td, table.hunk-context td { border: none; }
.outdated { padding: 8px 16px; border-top: 1px solid #d1d9e0; }
tr.annotation-row > td { white-space: normal; padding: 4px 16px; font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 13px; }
.annotation { border-left: 4px solid #9a6700; background: #fff8c5; padding: 4px 8px; margin: 2px 0; }
.annotation.failure { border-left-color: #d1242f; background: #ffebe9; }
.annotation.notice { border-left-color: #0969da; background: #ddf4ff; }
`;

/** A static page showing the PR as GitHub would: check runs, then each file's diff with its inline comments. */
export function renderPullRequestReport(report: PullRequestReport): string {
  const commentsByPath = new Map<string, ReportComment[]>();
  for (const comment of report.comments)
    commentsByPath.set(comment.path, [...(commentsByPath.get(comment.path) ?? []), comment]);
  const files = report.files
    .map((file) =>
      fileHtml(
        file,
        commentsByPath.get(file.filename) ?? [],
        report.annotations.filter((annotation) => annotation.path === file.filename),
      ),
    )
    .join('\n');
  const checks = report.checkRuns.map((run, index) => checkRunHtml(run, index === 0)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(report.repository)}#${report.number}: ${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(report.title)} <span class="number">#${report.number}</span></h1>
<div class="meta">${escapeHtml(report.author)} wants to merge into <code>${escapeHtml(report.repository)}</code> · head <code>${report.headSha.slice(0, 7)}</code> · ${report.files.length} file${report.files.length === 1 ? '' : 's'} changed · ${report.comments.length} review comment${report.comments.length === 1 ? '' : 's'}</div>
<h2>Checks</h2>
${checks || '<p>No check runs.</p>'}
<h2>Files changed</h2>
${files}
</body>
</html>
`;
}
