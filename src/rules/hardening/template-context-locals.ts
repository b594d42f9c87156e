import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { methodOf } from '../support/tainted-sink.js';

/** Render functions, with where their context dictionary goes. */
const RENDERERS = new Map<string, { position: number; keyword: string }>([
  ['django.shortcuts.render', { position: 2, keyword: 'context' }],
  ['django.shortcuts.render_to_response', { position: 1, keyword: 'context' }],
  ['django.template.loader.render_to_string', { position: 1, keyword: 'context' }],
  ['django.template.response.TemplateResponse', { position: 2, keyword: 'context' }],
  ['aiohttp_jinja2.render_template', { position: 2, keyword: 'context' }],
  ['flask.render_template', { position: -1, keyword: 'context' }],
  ['flask.render_template_string', { position: -1, keyword: 'context' }],
]);

/** Template libraries whose `template.render(context)` takes the context as its first argument. */
const TEMPLATE_LIBRARIES = ['jinja2', 'django', 'mako', 'chameleon'];

/** `locals()`, `globals()` and argument-less `vars()`: every name in a scope, as a dictionary. */
function scopeDump(context: RuleContext, node: SyntaxNode | undefined): string | undefined {
  const value = node?.type === 'dictionary_splat' ? node.namedChildren[0] : node;
  if (value?.type !== 'call') return undefined;
  const callee = context.calleeName(value);
  const args = value.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
  if (args.length > 0) return undefined;
  return callee === 'locals' || callee === 'globals' || callee === 'vars' ? `${callee}()` : undefined;
}

/** The arguments of a render call that may hold its context. */
function contextArguments(call: SyntaxNode, context: RuleContext): { fn: string; values: SyntaxNode[] } | undefined {
  const callee = context.calleeName(call);
  const renderer = callee ? RENDERERS.get(callee) : undefined;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  if (renderer) {
    const splats = args.filter((a) => a.type === 'dictionary_splat');
    const named = context.argument(call, renderer.position < 0 ? undefined : renderer.position, renderer.keyword);
    return { fn: callee!.split('.').at(-1)!, values: named ? [named, ...splats] : splats };
  }
  if (methodOf(call) !== 'render' || !TEMPLATE_LIBRARIES.some((m) => context.isModuleImported(m))) return undefined;
  return { fn: 'render', values: args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment') };
}

export default createRule({
  id: 'template-context-locals',
  meta: {
    title: 'Every local or global variable passed to a template',
    category: 'hardening',
    cwe: [200],
    severity: 'low',
    confidence: 'high',
    equivalents: {},
    messages: {
      dump: '`{{fn}}` receives `{{dump}}` as its context: every variable in scope becomes visible to the template',
    },
    docs: {
      why: 'A template rendered with `locals()` or `globals()` sees every variable of the function or module: passwords just checked, tokens, API clients, settings, the raw request. Nobody reviewing the template knows what it can reach, a later edit of the view silently exposes new values, and a template injection or a debugging `{{ dump }}` can print them all. Values that are escaped in one place (a form field) may also be reachable unescaped under another name.',
      example:
        'from django.shortcuts import render\n\ndef profile(request):\n    user = request.user\n    api_token = user.profile.api_token\n    return render(request, "profile.html", locals())',
      fix: 'Pass a dictionary that names exactly what the template shows.\n\n```python\nfrom django.shortcuts import render\n\ndef profile(request):\n    user = request.user\n    return render(request, "profile.html", {"user": user})\n```',
      knownProblems:
        '`template.render(locals())` is reported in files that import Jinja2, Django, Mako or Chameleon; a dictionary built from `locals()` first (`ctx = locals(); ctx.update(...)`) is not followed.',
      references: [
        'https://docs.djangoproject.com/en/stable/topics/http/shortcuts/#render',
        'https://cwe.mitre.org/data/definitions/200.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const found = contextArguments(node, context);
      for (const value of found?.values ?? []) {
        const dump = scopeDump(context, value);
        if (dump) {
          context.report({ node, messageId: 'dump', data: { fn: found!.fn, dump } });
          return;
        }
      }
    },
  },
  tests: {
    valid: [
      'from django.shortcuts import render\n\ndef profile(request):\n    return render(request, "profile.html", {"user": request.user})',
      'from flask import render_template\n\ndef page(slug):\n    article = load(slug)\n    return render_template("article.html", article=article)',
      'from django.shortcuts import render\n\ndef debug_vars(request, obj):\n    return render(request, "vars.html", {"fields": vars(obj)})',
      'import jinja2\n\ndef build(t, **context):\n    return t.render(**context)',
      'def render(request, template, context):\n    return template\n\ndef v(request):\n    return render(request, "a.html", locals())',
      'import string\n\ndef fill(template):\n    name = "world"\n    return string.Template(template).substitute(locals())',
    ],
    invalid: [
      {
        code: 'from django.shortcuts import render\n\ndef profile(request):\n    user = request.user\n    api_token = user.profile.api_token\n    return render(request, "profile.html", locals())',
        errors: [{ messageId: 'dump', line: 6, message: 'locals()' }],
      },
      {
        code: 'from flask import render_template\n\ndef dashboard():\n    stats = load_stats()\n    secret = current_app.config["SECRET_KEY"]\n    return render_template("dashboard.html", **locals())',
        errors: [{ messageId: 'dump', line: 6, message: 'render_template' }],
      },
      {
        code: 'from django.template.loader import render_to_string\n\ndef email_body(order):\n    customer = order.customer\n    return render_to_string("mail/order.txt", context=locals())',
        errors: [{ messageId: 'dump', line: 5, message: 'render_to_string' }],
      },
      {
        code: 'import jinja2\n\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=True)\n\ndef report(rows, db_password):\n    total = sum(r.amount for r in rows)\n    return env.get_template("report.html").render(locals())',
        errors: [{ messageId: 'dump', line: 7, message: '`render`' }],
      },
      {
        code: 'from django.template.response import TemplateResponse\n\ndef home(request):\n    return TemplateResponse(request, "home.html", globals())',
        errors: [{ messageId: 'dump', line: 4, message: 'globals()' }],
      },
      {
        code: 'import aiohttp_jinja2\n\nasync def index(request):\n    session = await get_session(request)\n    return aiohttp_jinja2.render_template("index.html", request, vars())',
        errors: [{ messageId: 'dump', line: 5, message: 'vars()' }],
      },
    ],
  },
});
