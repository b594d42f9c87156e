/**
 * Markdown for text that comes from scanned code (paths, messages, trace notes): it must never
 * render as a mention, a team ping, an issue link, a hyperlink or HTML.
 */
const ZWJ = '\u200d';

/** Escapes prose; `code spans` are kept, since GitHub renders nothing inside them. */
export function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeProse(part)))
    .join('');
}

function escapeProse(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([[\]\\*_~|])/g, '\\$1')
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${ZWJ}.`);
}

/** A code span that holds any text, backticks included. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
export function fencedBlock(content: string, info: string): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${info}\n${content}\n${fence}`;
}

export function cweLink(cwe: number): string {
  return `[CWE-${cwe}](https://cwe.mitre.org/data/definitions/${cwe}.html)`;
}

/** Keeps Markdown under a hard limit (GitHub rejects longer check-run summaries with a 422). */
export function truncateMarkdown(text: string, limit: number, notice: string): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - notice.length - 2)}\n\n${notice}`;
}

/** Text for a Markdown table cell: a `|`, even inside a code span, would split the cell. */
export function tableCell(text: string): string {
  return escapeMarkdown(text).replace(/(?<!\\)\|/g, '\\|');
}

/** `1 file`, `2 files`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
