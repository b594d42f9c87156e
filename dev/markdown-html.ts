/**
 * A small Markdown renderer for the demo report: the subset GitHub comments and check-run
 * summaries use (headings, paragraphs, lists, tables, block quotes, fenced code, inline code,
 * bold, italics, links, `<details>`). Everything else is shown as escaped text, never as HTML.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders a fenced block; returning undefined falls back to a plain code block. */
export type FenceRenderer = (info: string, content: string) => string | undefined;

function renderInline(text: string): string {
  const codeSpans: string[] = [];
  let html = text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (_whole, _ticks: string, code: string) => {
    codeSpans.push(`<code>${escapeHtml(code.trim() === '' ? code : code.replace(/^ (.*) $/, '$1'))}</code>`);
    // A private-use character marks the spans: it is no control character, and real text has none.
    return `\uE000${codeSpans.length - 1}\uE000`;
  });
  html = escapeHtml(html)
    // Character references in Markdown (`&lt;`, `&#96;`) stand for their character, as on GitHub.
    .replace(/&amp;(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, '&$1;')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2">$1</a>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>');
  return html.replace(/\uE000(\d+)\uE000/g, (_whole, index: string) => codeSpans[Number(index)]);
}

const FENCE = /^(`{3,}|~{3,})\s*([^`\s]*)\s*$/;
const TABLE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const DETAILS_TAG = /^\s*<\/?(details|summary)(\s[^>]*)?>/i;

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim());
}

export function renderMarkdown(markdown: string, renderFence: FenceRenderer = () => undefined): string {
  const lines = markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\r\n/g, '\n')
    .split('\n');
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map(renderInline).join('<br>')}</p>`);
    paragraph = [];
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const closing = new RegExp(`^${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      const content: string[] = [];
      index += 1;
      while (index < lines.length && !closing.test(lines[index])) content.push(lines[index++]);
      const text = content.join('\n');
      out.push(renderFence(fence[2] ?? '', text) ?? `<pre><code>${escapeHtml(text)}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const details = DETAILS_TAG.exec(line);
    if (details) {
      flush();
      // Only the two disclosure tags pass through; text after them is rendered as Markdown.
      const tag = line.trim().match(/^<\/?(details|summary)[^>]*>/i)![0];
      const closing = tag.startsWith('</');
      const name = details[1].toLowerCase();
      out.push(closing ? `</${name}>` : `<${name}>`);
      const rest = line.trim().slice(tag.length);
      const summaryEnd = rest.match(/^(.*?)<\/summary>\s*$/i);
      if (summaryEnd) out.push(`${renderInline(summaryEnd[1])}</summary>`);
      else if (rest.trim() !== '') paragraph.push(rest);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push(`<h${heading[1].length}>${renderInline(heading[2])}</h${heading[1].length}>`);
      continue;
    }
    if (line.trim().startsWith('|') && TABLE_SEPARATOR.test(lines[index + 1] ?? '')) {
      flush();
      const header = tableCells(line);
      index += 2;
      const rows: string[][] = [];
      while (index < lines.length && lines[index].trim().startsWith('|')) rows.push(tableCells(lines[index++]));
      index -= 1;
      out.push(
        `<table><thead><tr>${header.map((cell) => `<th>${renderInline(cell)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((row) => `<tr>${row.map((cell) => `<td>${renderInline(cell)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const listItem = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (listItem) {
      flush();
      const ordered = /\d/.test(listItem[1]);
      const items: string[] = [];
      while (index < lines.length) {
        const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[index]);
        if (!item) break;
        items.push(`<li>${renderInline(item[2])}</li>`);
        index += 1;
      }
      index -= 1;
      out.push(ordered ? `<ol>${items.join('')}</ol>` : `<ul>${items.join('')}</ul>`);
      continue;
    }
    if (line.startsWith('>')) {
      flush();
      const quoted: string[] = [];
      while (index < lines.length && lines[index].startsWith('>')) quoted.push(lines[index++].replace(/^>\s?/, ''));
      index -= 1;
      out.push(`<blockquote>${renderMarkdown(quoted.join('\n'), renderFence)}</blockquote>`);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return out.join('\n');
}
