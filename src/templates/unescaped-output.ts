import { fingerprint, fingerprintGroup, normalizeSource } from '../engine/fingerprint.js';
import type { RuleTests } from '../engine/rule.js';
import { oversizedResult, type FileResult } from '../engine/scan-source.js';
import { decodePythonSource } from '../engine/source.js';
import { commentSuppression } from '../engine/suppressions.js';
import type { Confidence, Finding, RuleMeta } from '../engine/types.js';

/**
 * Unescaped output in Django and Jinja2 templates: `{{ value|safe }}`, `{% autoescape off %}`
 * (`false` in Jinja2) and `{% filter safe %}`. Templates have no syntax tree in the engine; this
 * reads their tags with a small tokenizer, as the dependency check reads manifests.
 */
export const TEMPLATE_RULE_ID = 'template-unescaped-output';

type MessageId = 'safeFilter' | 'autoescapeOff' | 'filterSafe';

const meta: RuleMeta<MessageId> = {
  title: 'Template output not HTML-escaped',
  category: 'injection',
  cwe: [79],
  severity: 'medium',
  confidence: 'medium',
  equivalents: {},
  messages: {
    safeFilter: '`{{expression}}` is written into the page without HTML escaping (`|{{filter}}`)',
    autoescapeOff: '`{{tag}}` turns HTML escaping off for every value rendered until `{% endautoescape %}`',
    filterSafe: '`{{tag}}` writes its whole block into the page without HTML escaping',
  },
  docs: {
    why: "Django and Jinja2 escape every value a template renders, which is what keeps data from becoming markup. `|safe`, `|safeseq`, `{% filter safe %}` and an `{% autoescape off %}` block (`false` in Jinja2) switch that off, so a value that ever holds user input (a profile field, a comment, a search term echoed back) runs as script in every visitor's browser: stored or reflected cross-site scripting. No Python rule sees it, because the view passes a plain string and the template decides.",
    example:
      '<div class="bio">{{ profile.bio|safe }}</div>\n{% autoescape off %}<p>{{ comment.text }}</p>{% endautoescape %}',
    fix: 'Let the template escape the value: drop `|safe` and the `autoescape off` block. Where a value must carry markup, build it in the view with `format_html()` (Django) or `Markup.format()` / `escape()` (Jinja2), which escape every interpolated value, or clean user-written HTML with an allow-list sanitizer such as nh3 or bleach before marking it safe. To pass data to a script, use `{{ value|json_script:"id" }}` (Django) or `{{ value|tojson }}` (Jinja2).',
    knownProblems:
      'The checker reads the template alone, so it does not know whether the view filled the value from user input: every unescaped variable is reported at medium confidence. Values that cannot carry attacker markup stay quiet: string literals, output already escaped by an earlier filter (`|escape|safe`, `|tojson|safe`, `|escapejs|safe`, `|urlencode|safe`) and the CSRF helpers. Values the application builds as markup by convention (names ending in `_html` or starting with `html_`, form `help_text`) and `autoescape off` in e-mail and subject templates (plain text, where escaping would be wrong) are reported at low confidence, which the default gate and review comments leave out. An `autoescape off` block that renders no value and includes no template is not reported. Suppress one finding with `{# warden: ignore[template-unescaped-output] #}` or `{# nosec #}` on its line, or `{# warden: ignore-next-line[template-unescaped-output] #}` on the line above.',
    references: [
      'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe',
      'https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape',
      'https://jinja.palletsprojects.com/en/stable/templates/#html-escaping',
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://owasp.org/www-community/attacks/xss/',
    ],
  },
};

/** Examples the checker must report and must not, run by test/templates and shown in the rule's docs. */
const tests: RuleTests<MessageId> = {
  invalid: [
    {
      code: '{% extends "base.html" %}\n{% block content %}\n  <div class="bio">{{ profile.bio|safe }}</div>\n{% endblock %}',
      errors: [{ messageId: 'safeFilter', line: 3 }],
    },
    {
      code: '<h2>Results for {{ request.GET.q|safe }}</h2>',
      errors: [{ messageId: 'safeFilter', line: 1 }],
    },
    {
      code: '{% for comment in comments %}\n  <li>{{ comment.body|linebreaksbr|safe }}</li>\n{% endfor %}',
      errors: [{ messageId: 'safeFilter', line: 2 }],
    },
    {
      code: '{% autoescape off %}\n  <p>{{ message.text }}</p>\n{% endautoescape %}',
      errors: [{ messageId: 'autoescapeOff', line: 1 }],
    },
    {
      code: '{% autoescape false %}\n<td>{{ row.note }}</td>\n{% endautoescape %}',
      filename: 'templates/report.jinja2',
      errors: [{ messageId: 'autoescapeOff', line: 1 }],
    },
    {
      code: '<ul>{{ tags|safeseq|join:", " }}</ul>',
      errors: [{ messageId: 'safeFilter', line: 1 }],
    },
    {
      code: '{% filter safe %}\n  {{ post.content }}\n{% endfilter %}',
      errors: [{ messageId: 'filterSafe', line: 1 }],
    },
    {
      code: '<div title="x">{{\n    item.description | safe\n}}</div>',
      filename: 'app/templates/item.j2',
      errors: [{ messageId: 'safeFilter', line: 1 }],
    },
  ],
  valid: [
    '<p>{{ profile.bio }}</p>\n<p>{{ profile.bio|linebreaksbr }}</p>',
    '{{ "<br>"|safe }}\n{{ value|escape|safe }}\n<script>var data = {{ data|tojson|safe }};</script>',
    '<form method="post">{{ csrf_input|safe }}{% csrf_token %}</form>',
    '{# {{ old_bio|safe }} #}\n{% comment %}{% autoescape off %}{{ x }}{% endautoescape %}{% endcomment %}',
    '{% raw %}{{ value|safe }}{% endraw %}\n{% verbatim %}{% autoescape off %}{{ x }}{% endautoescape %}{% endverbatim %}',
    '{% autoescape off %}{% trans "Welcome" %}{% endautoescape %}',
    '<p>{{ note.text|safe }}</p> {# warden: ignore[template-unescaped-output] sanitised with nh3 in the view #}\n{# nosec #} {{ banner|safe }}',
    '{% autoescape on %}{{ name }}{% endautoescape %}\n{{ value|safe_join }}',
  ],
};

/** The template rule, with the metadata reports and docs need, beside the Python rules. */
export const templateRule = { id: TEMPLATE_RULE_ID, meta, tests } as const;

/** Template file names: these extensions anywhere, and markup-like ones inside a `templates/` directory. */
const TEMPLATE_EXTENSIONS = /\.(?:html?|jinja2?|j2|djhtml)$/i;
const IN_TEMPLATES_DIRECTORY = /(?:^|\/)templates\/(?:.*\/)?[^/]+\.(?:xml|svg|tpl|tmpl)$/i;

export function isTemplatePath(path: string): boolean {
  return TEMPLATE_EXTENSIONS.test(path) || IN_TEMPLATES_DIRECTORY.test(path);
}

/**
 * Templates rendered into e-mails and subjects (`password_reset_email.html`, `welcome-mail.j2`,
 * `subject.txt`) are mostly plain text, where escaping would be a bug: a word of the file name says so.
 */
const PLAIN_TEXT_TEMPLATE = /(?:^|[_.-])(?:e-?mail|mail|subject)(?:[_.-][^/]*)?$/i;

function isPlainTextTemplate(path: string): boolean {
  return PLAIN_TEXT_TEMPLATE.test(path.slice(path.lastIndexOf('/') + 1));
}

/** Filters whose output is already escaped or encoded, so a later `|safe` adds no risk. */
const ESCAPING_FILTERS = new Set(['escape', 'e', 'force_escape', 'escapejs', 'tojson', 'json_script', 'urlencode']);
/** Values that are markup by construction: the CSRF form helpers. */
const SAFE_VALUES = new Set(['csrf_input', 'csrf_token']);
/** Values an application writes as markup on purpose: reported, at low confidence. */
const MARKUP_BY_CONVENTION = /(?:_html|^html_\w+|^help_text)$/i;

/** Blocks whose contents are not template code: their end tag, by opening tag. */
const OPAQUE_BLOCKS: Record<string, RegExp> = {
  comment: /\{%-?\s*endcomment\s*-?%\}/g,
  raw: /\{%-?\s*endraw\s*-?%\}/g,
  verbatim: /\{%-?\s*endverbatim\b[^%]*%\}/g,
};

interface Tag {
  kind: 'output' | 'statement' | 'comment';
  /** The tag without its delimiters and whitespace-control dashes. */
  body: string;
  text: string;
  start: number;
  end: number;
}

/** Splits on `separator` outside quotes and brackets. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth = Math.max(0, depth - 1);
    else if (char === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The value and filter names of `value|f1|f2:arg` (Django) or `value | f1(arg)` (Jinja2). */
function filterChain(expression: string): { value: string; filters: string[] } {
  const [value, ...filters] = splitTopLevel(expression, '|');
  return { value: value.trim(), filters: filters.map((filter) => /^\s*(\w*)/.exec(filter)![1]) };
}

const LITERAL = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?)$/;

/** How sure a `|safe` on `value` after `before` is to be a risk; undefined when it is none. */
function safeFilterConfidence(value: string, before: readonly string[]): Confidence | undefined {
  if (LITERAL.test(value) || before.some((filter) => ESCAPING_FILTERS.has(filter))) return undefined;
  const name = /(\w+)\s*(?:\(\s*\))?$/.exec(value)?.[1] ?? '';
  if (SAFE_VALUES.has(name)) return undefined;
  return MARKUP_BY_CONVENTION.test(name) ? 'low' : 'medium';
}

const CLOSING: Record<string, { kind: Tag['kind']; close: string }> = {
  '{': { kind: 'output', close: '}}' },
  '%': { kind: 'statement', close: '%}' },
  '#': { kind: 'comment', close: '#}' },
};

/**
 * The tags of a template in order, without those inside `{% comment %}`, `{% raw %}` and
 * `{% verbatim %}`. Linear in the text's length: once a closing delimiter is missing from the
 * rest of the text, no later tag of that kind is looked for.
 */
function tagsOf(text: string): Tag[] {
  const tags: Tag[] = [];
  const unclosed = new Set<string>();
  let from = 0;
  for (let open = text.indexOf('{', from); open !== -1; open = text.indexOf('{', from)) {
    const delimiters = CLOSING[text[open + 1]];
    from = open + 1;
    if (!delimiters || unclosed.has(delimiters.close)) continue;
    const closeAt = text.indexOf(delimiters.close, open + 2);
    if (closeAt === -1) {
      unclosed.add(delimiters.close);
      continue;
    }
    const end = closeAt + 2;
    const raw = text.slice(open, end);
    const body = raw
      .slice(2, -2)
      .replace(/^[-+~]?/, '')
      .replace(/[-+~]?$/, '')
      .trim();
    tags.push({ kind: delimiters.kind, body, text: raw, start: open, end });
    from = end;
    const opaque = delimiters.kind === 'statement' ? OPAQUE_BLOCKS[/^(\w+)/.exec(body)?.[1] ?? ''] : undefined;
    if (opaque) {
      opaque.lastIndex = end;
      const closing = opaque.exec(text);
      from = closing ? closing.index + closing[0].length : text.length;
    }
  }
  return tags;
}

/** 1-based line and UTF-16 column of each offset. */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}

interface Report {
  messageId: MessageId;
  tag: Tag;
  data: Record<string, string>;
  confidence: Confidence;
  scope: string;
}

/** An open `{% autoescape %}` block, and whether it has rendered a value or included a template yet. */
interface AutoescapeBlock {
  off: boolean;
  report?: Report;
  rendersValues: boolean;
}

/**
 * A tag as its fingerprint sees it: spacing inside the braces, around filters' `|` and the
 * whitespace-control dashes (`{%- … -%}`) do not change what it outputs.
 */
function tagCode(text: string): string {
  return normalizeSource(text.replace(/^(\{[{%])[-+~]/, '$1').replace(/[-+~]([}%]\})$/, '$1')).replace(/ ?\| ?/g, '|');
}

function fill(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => data[key] ?? '');
}

function findingsOf(path: string, text: string, reports: readonly Report[], tags: readonly Tag[]): Finding[] {
  const lines = new LineIndex(text);
  const comments = tags
    .filter((tag) => tag.kind === 'comment')
    .map((tag) => ({ text: tag.text, line: lines.at(tag.start).line }));
  const occurrences = new Map<string, number>();
  return reports.map((report) => {
    const start = lines.at(report.tag.start);
    const end = lines.at(report.tag.end);
    const input = { ruleId: TEMPLATE_RULE_ID, path, scope: report.scope, code: tagCode(report.tag.text) };
    const group = fingerprintGroup(input);
    const occurrence = occurrences.get(group) ?? 0;
    occurrences.set(group, occurrence + 1);
    const suppressed = comments
      .map((comment) => commentSuppression(comment.text, comment.line, start.line, templateRule))
      .find((suppression) => suppression !== undefined);
    return {
      ruleId: TEMPLATE_RULE_ID,
      messageId: report.messageId,
      title: meta.title,
      category: meta.category,
      cwe: meta.cwe,
      severity: meta.severity,
      confidence: report.confidence,
      path,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      message: fill(meta.messages[report.messageId], report.data),
      fingerprint: fingerprint(input, occurrence),
      ...(suppressed ? { suppressed } : {}),
    };
  });
}

/**
 * Every unescaped output of one Django or Jinja2 template, suppressed ones marked. The enclosing
 * `{% block %}` names are the fingerprint's scope, as a function's name is for Python.
 */
export function checkTemplate(path: string, text: string): Finding[] {
  const tags = tagsOf(text);
  const reports: Report[] = [];
  const blocks: string[] = [];
  const autoescape: AutoescapeBlock[] = [];
  const plainText = isPlainTextTemplate(path);
  const escapingOff = () => autoescape.length > 0 && autoescape[autoescape.length - 1].off;
  const rendered = () => autoescape.forEach((block) => (block.rendersValues = true));
  for (const tag of tags) {
    const scope = blocks.join('.');
    if (tag.kind === 'output') {
      rendered();
      if (escapingOff()) continue;
      const { value, filters } = filterChain(tag.body);
      const at = filters.findIndex((filter) => filter === 'safe' || filter === 'safeseq');
      if (at === -1) continue;
      const confidence = safeFilterConfidence(value, filters.slice(0, at));
      if (confidence) {
        const data = { expression: normalizeSource(tag.body), filter: filters[at] };
        reports.push({ messageId: 'safeFilter', tag, data, confidence, scope });
      }
      continue;
    }
    if (tag.kind !== 'statement') continue;
    const [keyword = '', ...rest] = tag.body.split(/\s+/);
    const argument = rest.join(' ');
    switch (keyword) {
      case 'block':
        blocks.push(rest[0] ?? '');
        break;
      case 'endblock':
        blocks.pop();
        break;
      case 'include':
        rendered();
        break;
      case 'autoescape': {
        const off = /^(?:off|false)$/i.test(argument);
        const block: AutoescapeBlock = { off, rendersValues: false };
        if (off && !escapingOff()) {
          const data = { tag: normalizeSource(tag.text) };
          block.report = { messageId: 'autoescapeOff', tag, data, confidence: plainText ? 'low' : 'medium', scope };
        }
        autoescape.push(block);
        break;
      }
      case 'endautoescape': {
        const block = autoescape.pop();
        if (block?.report && block.rendersValues) reports.push(block.report);
        break;
      }
      case 'filter': {
        const filters = filterChain(`value|${argument}`).filters;
        const at = filters.indexOf('safe');
        if (at === -1 || escapingOff() || filters.slice(0, at).some((filter) => ESCAPING_FILTERS.has(filter))) break;
        const data = { tag: normalizeSource(tag.text) };
        reports.push({ messageId: 'filterSafe', tag, data, confidence: plainText ? 'low' : 'medium', scope });
        break;
      }
    }
  }
  // A block left open runs to the end of the template.
  for (const block of autoescape) if (block.report && block.rendersValues) reports.push(block.report);
  reports.sort((a, b) => a.tag.start - b.tag.start);
  return findingsOf(path, text, reports, tags);
}

/** A template file checked as the engine checks a Python file: incomplete when too large, skipped when binary. */
export function scanTemplateFile(path: string, bytes: Uint8Array, maxBytes: number): FileResult {
  if (bytes.length > maxBytes) return oversizedResult(path, bytes.length, maxBytes);
  const unscanned = { path, findings: [], notes: [], ruleErrors: [] };
  const decoded = decodePythonSource(bytes);
  if (decoded.kind === 'binary') return { ...unscanned, skipped: 'binary file' };
  return { ...unscanned, findings: checkTemplate(path, decoded.text), notes: decoded.notes };
}
