import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isInstanceOf, methodOf, receiverOf, tracedSource } from '../support/tainted-sink.js';
import { unparenthesized } from '../support/template-strings.js';

/** Flask's renderers, which escape only templates whose names end in these extensions. */
const FLASK_RENDERERS = new Set(['flask.render_template', 'flask.templating.render_template', 'quart.render_template']);
const FLASK_ESCAPED = ['.html', '.htm', '.xml', '.xhtml', '.svg'];

/** `jinja2.select_autoescape()`'s default `enabled_extensions`. */
const SELECT_AUTOESCAPE_DEFAULT = ['html', 'htm', 'xml'];
const SELECT_AUTOESCAPE = new Set(['jinja2.select_autoescape', 'jinja2.utils.select_autoescape']);
const ENVIRONMENTS = new Set(['jinja2.Environment', 'jinja2.environment.Environment']);

/** Response constructors a rendered page is commonly wrapped in before it is returned. */
const RESPONSE_WRAPPERS = new Set(['flask.make_response', 'flask.Response', 'quart.make_response']);

const MAX_DEPTH = 3;

/** True when `call`'s result is the body the view sends: returned, or wrapped in a response that is. */
function isSentAsResponse(context: RuleContext, call: SyntaxNode): boolean {
  let node = call;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const parent = node.parent;
    if (!parent) return false;
    if (parent.type === 'return_statement') return true;
    if (parent.type === 'parenthesized_expression' || parent.type === 'await') node = parent;
    else if (parent.type === 'argument_list' && RESPONSE_WRAPPERS.has(context.calleeName(parent.parent!) ?? ''))
      node = parent.parent!;
    else return false;
  }
  return false;
}

/** The extensions an `Environment(autoescape=select_autoescape(…))` call escapes; undefined for any other environment. */
function selectedExtensions(context: RuleContext, environment: SyntaxNode): string[] | undefined {
  const autoescape = context.keywordArgument(environment, 'autoescape');
  if (autoescape?.type !== 'call' || !SELECT_AUTOESCAPE.has(context.calleeName(autoescape) ?? '')) return undefined;
  const enabled = context.argument(autoescape, 0, 'enabled_extensions');
  if (!enabled) return SELECT_AUTOESCAPE_DEFAULT;
  if (enabled.type !== 'list' && enabled.type !== 'tuple') return undefined;
  const extensions = enabled.namedChildren.map((item) => context.stringValue(item));
  return extensions.every((e) => e !== undefined) ? extensions : undefined;
}

/** The `Environment(…)` call a receiver is bound to (`env = Environment(…)`), if it is one. */
function environmentCall(context: RuleContext, receiver: SyntaxNode): SyntaxNode | undefined {
  if (receiver.type === 'call') return ENVIRONMENTS.has(context.calleeName(receiver) ?? '') ? receiver : undefined;
  if (receiver.type !== 'identifier' || !isInstanceOf(context, receiver, ENVIRONMENTS)) return undefined;
  const bindings = context.bindingsOf(receiver);
  return bindings.length === 1 ? bindings[0].value : undefined;
}

/** `env.get_template("x.txt")`, directly or through a variable assigned once. */
function unescapedTemplateName(context: RuleContext, template: SyntaxNode): string | undefined {
  let node = unparenthesized(template);
  if (node.type === 'identifier') {
    const bindings = context.bindingsOf(node);
    if (bindings.length !== 1 || bindings[0].kind !== 'assign' || !bindings[0].value) return undefined;
    node = bindings[0].value;
  }
  if (node.type !== 'call' || methodOf(node) !== 'get_template') return undefined;
  const receiver = receiverOf(node);
  const environment = receiver && environmentCall(context, receiver);
  const extensions = environment && selectedExtensions(context, environment);
  const name = context.stringValue(context.argument(node, 0, 'name'));
  if (!extensions || name === undefined) return undefined;
  return extensions.some((extension) => name.toLowerCase().endsWith(`.${extension.toLowerCase()}`)) ? undefined : name;
}

/** The values a render call passes to its template. */
function contextValues(call: SyntaxNode): SyntaxNode[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).flatMap((argument) => {
    if (argument.type === 'keyword_argument') return [argument.childForFieldName('value')!];
    if (argument.type === 'dictionary_splat' || argument.type === 'dictionary') return [argument];
    return [];
  });
}

/** A call that renders a template its environment does not escape, with how to name it. */
function unescapedRender(
  call: SyntaxNode,
  context: RuleContext,
): { messageId: 'flask' | 'selected'; fn: string; template: string } | undefined {
  const callee = context.calleeName(call);
  if (callee && FLASK_RENDERERS.has(callee)) {
    const template = context.stringValue(context.argument(call, 0, 'template_name_or_list'));
    if (template === undefined || FLASK_ESCAPED.some((e) => template.toLowerCase().endsWith(e))) return undefined;
    return { messageId: 'flask', fn: callee.split('.').at(-1)!, template };
  }
  const receiver = methodOf(call) === 'render' ? receiverOf(call) : undefined;
  if (!receiver || !context.isModuleImported('jinja2')) return undefined;
  const template = unescapedTemplateName(context, receiver);
  return template === undefined ? undefined : { messageId: 'selected', fn: 'render', template };
}

export default createRule({
  id: 'unescaped-template-render',
  meta: {
    title: 'Request data rendered into a template that is not autoescaped',
    category: 'injection',
    cwe: [79],
    severity: 'high',
    confidence: 'high',
    equivalents: {},
    messages: {
      flask:
        '`{{fn}}` renders `{{template}}`, which Flask does not autoescape, with data from {{source}}, and sends it as HTML',
      selected:
        '`{{template}}` is not among the extensions `select_autoescape` escapes, and it is rendered with data from {{source}}',
    },
    docs: {
      why: 'Flask escapes values only in templates whose names end in `.html`, `.htm`, `.xml`, `.xhtml` or `.svg`, and `jinja2.select_autoescape()` only in `.html`, `.htm` and `.xml` by default. A view that renders `page.txt`, `page.j2` or `page.html.jinja` with request data and returns the result sends the data unescaped, and Flask serves a returned string as `text/html`: a value with `<script>` in it runs in the browser (cross-site scripting).',
      example:
        'from flask import render_template, request\n\n@app.get("/search")\ndef search():\n    return render_template("search.j2", query=request.args.get("q", ""))',
      fix: 'Name HTML templates with an escaped extension, or escape the values in the template (`{{ query|e }}`); for a plain-text response, say so with a `text/plain` content type.\n\n```python\nfrom flask import render_template, request\n\n@app.get("/search")\ndef search():\n    return render_template("search.html", query=request.args.get("q", ""))\n```',
      knownProblems:
        'Only flows from web request data or route parameters are reported, with their trace, and only when the rendered text is returned from the view (also through `make_response`): a text template rendered for an e-mail or a file is not HTML. `{% autoescape true %}` blocks inside the template are not read. For Jinja environments, only `Environment(autoescape=select_autoescape(…))` bound in the same file is understood.',
      references: [
        'https://flask.palletsprojects.com/en/stable/templating/#jinja-setup',
        'https://jinja.palletsprojects.com/en/stable/api/#jinja2.select_autoescape',
        'https://cwe.mitre.org/data/definitions/79.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const render = unescapedRender(node, context);
      const flow = render && isSentAsResponse(context, node) && tracedSource(context, contextValues(node), 'template');
      if (!render || !flow) return;
      context.report({
        node,
        messageId: render.messageId,
        data: { fn: render.fn, template: render.template, source: flow.origin.source ?? 'untrusted input' },
        origin: flow.origin,
      });
    },
  },
  tests: {
    valid: [
      'from flask import render_template, request\n\ndef search():\n    return render_template("search.html", query=request.args.get("q", ""))',
      'from flask import render_template, request\n\ndef send_receipt(mailer):\n    body = render_template("mail/receipt.txt", name=request.form["name"])\n    mailer.send(body)',
      'from flask import render_template\n\ndef robots():\n    return render_template("robots.txt", host="example.com")',
      'from flask import render_template, request\n\ndef icon():\n    return render_template("icon.svg", color=request.args["color"])',
      'from jinja2 import Environment, FileSystemLoader, select_autoescape\nfrom flask import request\n\nenv = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html", "j2"]))\n\ndef page():\n    return env.get_template("page.j2").render(q=request.args["q"])',
      'from jinja2 import Environment, FileSystemLoader, select_autoescape\nfrom flask import request\n\nenv = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())\n\ndef page():\n    return env.get_template("page.html").render(q=request.args["q"])',
    ],
    invalid: [
      {
        code: 'from flask import render_template, request\n\ndef search():\n    return render_template("search.j2", query=request.args.get("q", ""))',
        errors: [{ messageId: 'flask', line: 4, confidence: 'high', message: '`search.j2`' }],
      },
      {
        code: 'from flask import make_response, render_template, request\n\ndef preview():\n    return make_response(render_template("preview.txt", body=request.form["body"]), 200)',
        errors: [{ messageId: 'flask', line: 4, message: 'request.form' }],
      },
      {
        code: 'from flask import Flask, render_template\napp = Flask(__name__)\n\n@app.route("/hello/<name>")\ndef hello(name):\n    return render_template("hello.jinja2", name=name)',
        errors: [{ messageId: 'flask', line: 6, message: 'route parameter' }],
      },
      {
        code: 'from jinja2 import Environment, PackageLoader, select_autoescape\nfrom flask import request\n\nenv = Environment(loader=PackageLoader("shop"), autoescape=select_autoescape())\n\ndef product():\n    template = env.get_template("product.html.j2")\n    return template.render(name=request.args["name"])',
        errors: [{ messageId: 'selected', line: 8, message: '`product.html.j2`' }],
      },
      {
        code: 'import jinja2\n\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader("t"), autoescape=jinja2.select_autoescape(enabled_extensions=("html",)))\n\ndef view(request):\n    return env.get_template("list.htm").render({"items": request.GET.getlist("item")})',
        errors: [{ messageId: 'selected', line: 6, message: 'Django' }],
      },
      {
        code: 'from quart import render_template, request\n\nasync def comment():\n    form = await request.form\n    return await render_template("comment.md", text=form["text"])',
        errors: [{ messageId: 'flask', line: 5 }],
      },
    ],
  },
});
