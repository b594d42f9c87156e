import type { RuleContext } from '../../engine/context.js';
import type { Fix, SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { builtString, plainInterpolation, unparenthesized } from '../support/template-strings.js';

/** Calls that mark their argument as safe HTML, so templates stop escaping it. */
const SAFE_MARKERS = new Set([
  'django.utils.safestring.SafeString',
  'django.utils.safestring.SafeText',
  'django.utils.safestring.mark_safe',
  'flask.Markup',
  'jinja2.Markup',
  'jinja2.utils.Markup',
  'markupsafe.Markup',
]);

const FORMAT_HTML = new Set(['django.utils.html.format_html']);

type MessageId = 'markup' | 'preformatted';

/**
 * `format_html(f"<b>{name}</b>")` → `format_html("<b>{}</b>", name)`, and
 * `format_html("<b>{}</b>".format(name))` → `format_html("<b>{}</b>", name)`: format_html then
 * escapes every value. Only for plain interpolations (no `!r`, no format spec).
 */
function formatHtmlFix(context: RuleContext<MessageId>, call: SyntaxNode, template: SyntaxNode): Fix | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (args.length !== 1) return undefined;
  const node = unparenthesized(template);
  let replacement: string | undefined;
  if (node.type === 'string' && node.firstChild?.type === 'string_start' && /f/i.test(node.firstChild.text)) {
    const values: string[] = [];
    let body = '';
    for (const child of node.children.slice(1, -1)) {
      const expression = child.type === 'interpolation' ? plainInterpolation(child) : undefined;
      if (child.type !== 'interpolation') body += child.text;
      else if (!expression) return undefined;
      else {
        body += '{}';
        values.push(expression.text);
      }
    }
    replacement = [`${node.firstChild.text.replace(/f/i, '')}${body}${node.lastChild!.text}`, ...values].join(', ');
  } else if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const receiver = fn?.childForFieldName('object');
    const formatArgs = node.childForFieldName('arguments');
    if (fn?.type !== 'attribute' || !receiver || !formatArgs || !context.isConstant(receiver)) return undefined;
    replacement = [receiver.text, formatArgs.text.slice(1, -1).trim()].filter((part) => part.length > 0).join(', ');
  }
  return replacement === undefined
    ? undefined
    : { description: 'Let format_html escape the values', edits: [context.replaceNode(template, replacement)] };
}

export default createRule({
  id: 'unsafe-markup',
  meta: {
    title: 'Data marked as safe HTML',
    category: 'injection',
    cwe: [79],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B308', 'B703', 'B704'], ruff: ['S308', 'S704'] },
    messages: {
      markup: '`{{fn}}` marks HTML built at runtime as safe, so templates no longer escape it',
      preformatted: '`format_html` receives a string already formatted with {{how}}, so the values are not escaped',
    },
    docs: {
      why: '`Markup`, `mark_safe` and `SafeString` tell the template engine that a string is trusted HTML and must not be escaped. When any part of it comes from a user, a `<script>` or an `onerror=` attribute in it runs in the browser of whoever views the page (cross-site scripting). `format_html` escapes the values it substitutes, but not a string that was formatted before it was called.',
      example:
        'from django.utils.safestring import mark_safe\n\ndef greeting(user):\n    return mark_safe("<b>Hello, " + user.first_name + "</b>")',
      fix: 'Build HTML with `format_html` (Django) or `Markup(...).format(...)` / `markupsafe.escape` (Flask, Jinja), which escape every value, and mark only literal HTML as safe.\n\n```python\nfrom django.utils.html import format_html\n\ndef greeting(user):\n    return format_html("<b>Hello, {}</b>", user.first_name)\n```',
      knownProblems:
        'A value that was escaped earlier (in another function) cannot be told from raw data and is reported at medium confidence; values escaped in place (`mark_safe(escape(x))`) are not reported.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://markupsafe.palletsprojects.com/en/stable/escaping/',
        'https://cwe.mitre.org/data/definitions/79.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn) return;
      if (SAFE_MARKERS.has(fn)) {
        const html = context.argument(node, 0, 's') ?? context.argument(node, 0, 'base');
        const evidence = html && originEvidence(context, html, 'template');
        if (evidence) context.report({ node, messageId: 'markup', data: { fn: fn.split('.').at(-1)! }, ...evidence });
        return;
      }
      if (!FORMAT_HTML.has(fn)) return;
      const template = context.argument(node, 0, 'format_string');
      const built = template && builtString(context, template);
      const evidence = built && originEvidence(context, template, 'template');
      if (!built || !evidence) return;
      const fix = formatHtmlFix(context, node, template);
      context.report({
        node,
        messageId: 'preformatted',
        data: { how: built.how },
        ...evidence,
        ...(fix ? { fix } : {}),
      });
    },
  },
  tests: {
    valid: [
      'from django.utils.safestring import mark_safe\nmark_safe("<br>")',
      'from django.utils.html import format_html\nformat_html("<b>{}</b>", name)',
      'from markupsafe import Markup\nMarkup("<em>{}</em>").format(value)',
      'def mark_safe(s):\n    return s\nmark_safe(data)',
      'from markupsafe import Markup, escape\ndef bold(name):\n    return Markup("<b>%s</b>" % escape(name))',
      'from django.utils.html import format_html\nICON = "<i>{}</i>"\nformat_html(ICON, name)',
      'from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\n\ndef badge(request):\n    return mark_safe("<span class=\'badge\'>%s</span>" % escape(request.GET["label"]))',
      'from django.utils.html import format_html\n\ndef link(request):\n    return format_html("<a href=\'{}\'>{}</a>", request.GET["url"], request.GET["title"])',
      'from django.utils.html import format_html_join\nfrom django.utils.safestring import mark_safe\n\ndef items(request):\n    return mark_safe(format_html_join("", "<li>{}</li>", ((t,) for t in request.GET.getlist("t"))))',
      'from markupsafe import Markup, escape\nfrom flask import request\n\ndef preview():\n    return Markup("<pre>{}</pre>").format(request.form["text"])',
      'from django.utils.safestring import SafeString\n\nFOOTER = SafeString("<footer>&copy; Example</footer>")',
    ],
    invalid: [
      {
        code: 'from django.utils.safestring import mark_safe\ndef greeting(user):\n    return mark_safe("<b>Hello, " + user.first_name + "</b>")',
        errors: [{ messageId: 'markup', line: 3, message: '`mark_safe`', confidence: 'medium' }],
      },
      {
        code: 'from markupsafe import Markup as M\nM(comment.body)',
        errors: [{ messageId: 'markup', message: '`Markup`' }],
      },
      { code: 'import flask\nflask.Markup(f"<p>{text}</p>")', errors: [{ messageId: 'markup' }] },
      {
        code: 'from django.utils import safestring\nsafestring.SafeString(html)',
        errors: [{ messageId: 'markup', message: 'SafeString' }],
      },
      {
        code: 'from django.utils.html import format_html\nformat_html(f"<a href=\'{url}\'>{title}</a>")',
        errors: [{ messageId: 'preformatted', message: 'an f-string' }],
        output: 'from django.utils.html import format_html\nformat_html("<a href=\'{}\'>{}</a>", url, title)',
      },
      {
        code: 'from django.utils.html import format_html\nformat_html("<b>{}</b>".format(name))',
        errors: [{ messageId: 'preformatted', message: 'str.format()' }],
        output: 'from django.utils.html import format_html\nformat_html("<b>{}</b>", name)',
      },
      {
        // `{name=}` prints the expression too: no mechanical rewrite.
        code: 'from django.utils.html import format_html\nformat_html(f"<b>{name=}</b>")',
        errors: [{ messageId: 'preformatted' }],
      },
      {
        code: 'from django.utils.html import format_html\nformat_html("<b>%s</b>" % name, extra)',
        errors: [{ messageId: 'preformatted', message: '%-formatting' }],
      },
      {
        code: 'from django.utils.safestring import mark_safe\n\ndef welcome(request):\n    return mark_safe(request.GET["message"])',
        errors: [{ messageId: 'markup', line: 4, confidence: 'high', severity: 'high' }],
      },
      {
        code: 'from django.utils.safestring import SafeString\n\ndef signature(request):\n    sig = request.POST.get("signature", "")\n    return SafeString("<div class=\'sig\'>" + sig + "</div>")',
        errors: [{ messageId: 'markup', line: 5, confidence: 'high', message: '`SafeString`' }],
      },
      {
        code: 'from django.utils.html import format_html\n\ndef title(request):\n    return format_html("<h1>%s</h1>" % request.GET["t"])',
        errors: [{ messageId: 'preformatted', line: 4, confidence: 'high' }],
      },
      {
        code: 'from markupsafe import Markup\nfrom flask import request\n\ndef bio():\n    return Markup(f"<p>{request.form[\'bio\']}</p>")',
        errors: [{ messageId: 'markup', line: 5, confidence: 'high' }],
      },
    ],
  },
});
