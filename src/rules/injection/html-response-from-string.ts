import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { originEvidence, type OriginEvidence } from '../support/command-origin.js';
import { builtString } from '../support/template-strings.js';
import { methodName, receiverOf } from '../../engine/calls.js';

/** Response constructors, with where the body goes and whether the body is HTML whatever it looks like. */
const RESPONSES = new Map<string, { keyword: string; alwaysHtml: boolean; declaredHtmlOnly?: boolean }>([
  // aiohttp sends `text=` as text/plain unless `content_type` says HTML.
  ['aiohttp.web.Response', { keyword: 'text', alwaysHtml: true, declaredHtmlOnly: true }],
  ['aiohttp.web_response.Response', { keyword: 'text', alwaysHtml: true, declaredHtmlOnly: true }],
  ['django.http.HttpResponse', { keyword: 'content', alwaysHtml: false }],
  ['django.http.HttpResponseBadRequest', { keyword: 'content', alwaysHtml: false }],
  ['django.http.HttpResponseForbidden', { keyword: 'content', alwaysHtml: false }],
  ['django.http.HttpResponseNotFound', { keyword: 'content', alwaysHtml: false }],
  ['django.http.response.HttpResponse', { keyword: 'content', alwaysHtml: false }],
  ['fastapi.responses.HTMLResponse', { keyword: 'content', alwaysHtml: true }],
  ['flask.Response', { keyword: 'response', alwaysHtml: false }],
  ['flask.make_response', { keyword: 'response', alwaysHtml: false }],
  ['flask.wrappers.Response', { keyword: 'response', alwaysHtml: false }],
  ['starlette.responses.HTMLResponse', { keyword: 'content', alwaysHtml: true }],
  ['werkzeug.Response', { keyword: 'response', alwaysHtml: false }],
  ['werkzeug.wrappers.Response', { keyword: 'response', alwaysHtml: false }],
]);

/** Decorator methods that register a Flask/Quart view, whose returned string becomes an HTML page. */
const ROUTE_DECORATORS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete']);

/** An HTML tag or comment in the literal text. */
const HTML_MARKUP = /<(?:[a-zA-Z][\w-]*[\s>/]|\/[a-zA-Z]|!--)/;

type MessageId = 'response' | 'viewReturn';

/** The literal `content_type=`/`mimetype=`/`media_type=` of a response, if any. */
function declaredType(context: RuleContext<MessageId>, call: SyntaxNode): string | undefined {
  const declared =
    context.keywordArgument(call, 'content_type') ??
    context.keywordArgument(call, 'mimetype') ??
    context.keywordArgument(call, 'media_type');
  return context.stringValue(declared);
}

/** `body.encode()`, `bytes(body, "utf-8")`: the text inside the bytes written to a socket. */
function encodedText(context: RuleContext<MessageId>, node: SyntaxNode): SyntaxNode {
  if (node.type !== 'call') return node;
  if (methodName(node) === 'encode') return receiverOf(node) ?? node;
  return context.calleeName(node) === 'bytes' ? (context.argument(node, 0, 'source') ?? node) : node;
}

/** `self.wfile.write(…)` in a `BaseHTTPRequestHandler` subclass: the raw body of an http.server response. */
function isHandlerWrite(call: SyntaxNode): boolean {
  const receiver = receiverOf(call);
  if (methodName(call) !== 'write' || receiver?.type !== 'attribute' || receiver.text !== 'self.wfile') return false;
  for (let current = call.parent; current; current = current.parent)
    if (current.type === 'class_definition')
      return /RequestHandler\b/.test(current.childForFieldName('superclasses')?.text ?? '');
  return false;
}

/**
 * A value read as it is (`request.args["q"]`, `request.GET.get("q")`, a variable bound only to
 * such reads), not transformed by a call such as `json.dumps` or `jsonify`.
 */
function isPlainValue(context: RuleContext<MessageId>, node: SyntaxNode): boolean {
  if (node.type === 'subscript' || node.type === 'attribute') return true;
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    return fn?.type === 'attribute' && ['get', 'getlist'].includes(fn.childForFieldName('attribute')?.text ?? '');
  }
  if (node.type !== 'identifier') return false;
  const bindings = context.bindingsOf(node).filter((b) => b.statement.endIndex <= node.startIndex);
  return bindings.length > 0 && bindings.every((b) => b.kind === 'assign' && b.value && isPlainValue(context, b.value));
}

/** How a response body was built with unescaped values, and what is known of their origin. */
function unescapedHtml(
  context: RuleContext<MessageId>,
  body: SyntaxNode,
  alwaysHtml: boolean,
): ({ how: string } & OriginEvidence) | undefined {
  const evidence = originEvidence(context, body, 'template');
  if (!evidence) return undefined;
  const built = builtString(context, body);
  // Request data is the attacker's own markup, so a body made of it needs no tags of its own.
  if (built)
    return alwaysHtml || evidence.kind === 'source' || HTML_MARKUP.test(built.literalText)
      ? { how: built.how, ...evidence }
      : undefined;
  return evidence.kind === 'source' && isPlainValue(context, body) ? { how: 'request data', ...evidence } : undefined;
}

function reportResponse(
  context: RuleContext<MessageId>,
  node: SyntaxNode,
  fn: string,
  found: ReturnType<typeof unescapedHtml>,
): void {
  if (!found) return;
  const { how, ...evidence } = found;
  context.report({ node, messageId: 'response', data: { fn, how }, ...evidence });
}

/** True for a function registered as a Flask or Quart view (`@app.route(…)`, `@bp.get(…)`). */
function isFlaskView(context: RuleContext<MessageId>, fn: SyntaxNode): boolean {
  if (
    fn.parent?.type !== 'decorated_definition' ||
    !(context.isModuleImported('flask') || context.isModuleImported('quart'))
  )
    return false;
  return fn.parent.namedChildren.some((decorator) => {
    if (decorator.type !== 'decorator') return false;
    const expression = decorator.namedChildren[0];
    const callee = expression?.type === 'call' ? expression.childForFieldName('function') : expression;
    return callee?.type === 'attribute' && ROUTE_DECORATORS.has(callee.childForFieldName('attribute')?.text ?? '');
  });
}

function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'function_definition') return current;
    if (current.type === 'lambda' || current.type === 'class_definition') return undefined;
  }
  return undefined;
}

export default createRule({
  id: 'html-response-from-string',
  meta: {
    title: 'HTML response built from unescaped data',
    category: 'injection',
    cwe: [79],
    severity: 'medium',
    confidence: 'medium',
    equivalents: {},
    messages: {
      response: '`{{fn}}` sends HTML built with {{how}}; the values in it are not escaped',
      viewReturn: 'This view returns HTML built with {{how}}; the values in it are not escaped',
    },
    docs: {
      why: 'A response body assembled from strings by hand bypasses the escaping a template engine applies. A value with `<script>` or an `onerror=` attribute in it runs in the browser of whoever views the page (cross-site scripting), with their session and permissions.',
      example:
        'from django.http import HttpResponse\n\ndef greet(request):\n    name = request.GET.get("name", "")\n    return HttpResponse(f"<h1>Hello {name}</h1>")',
      fix: 'Render a template (which escapes values), or escape every value with `django.utils.html.format_html` / `markupsafe.escape`.\n\n```python\nfrom django.http import HttpResponse\nfrom django.utils.html import format_html\n\ndef greet(request):\n    name = request.GET.get("name", "")\n    return HttpResponse(format_html("<h1>Hello {}</h1>", name))\n```',
      knownProblems:
        "A body of unknown origin is reported only when its literal text contains HTML markup (any built body for `HTMLResponse`); request data is reported as it is, or spliced into any text. `content_type`/`mimetype` other than HTML turn the rule off for a call; aiohttp's `web.Response(text=…)` is plain text unless `content_type` names HTML. In an `http.server` request handler, `self.wfile.write` of the encoded body is a response too. Values escaped in place (`escape(name)`) are recognised; values escaped earlier in another function are not, and are reported at medium confidence.",
      references: [
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://flask.palletsprojects.com/en/stable/security/#cross-site-scripting-xss',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
        'https://cwe.mitre.org/data/definitions/79.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (isHandlerWrite(node)) {
        const body = context.argument(node, 0, 'b');
        if (body)
          reportResponse(context, node, 'self.wfile.write', unescapedHtml(context, encodedText(context, body), false));
        return;
      }
      const fn = context.calleeName(node);
      const response = fn ? RESPONSES.get(fn) : undefined;
      const body = response && context.argument(node, response.declaredHtmlOnly ? undefined : 0, response.keyword);
      const type = response && declaredType(context, node);
      if (!body || (type !== undefined && !type.includes('html'))) return;
      if (response.declaredHtmlOnly && type === undefined) return;
      reportResponse(context, node, fn!.split('.').at(-1)!, unescapedHtml(context, body, response.alwaysHtml));
    },
    return_statement(node, context) {
      const value = node.namedChildren[0];
      const fn = value && enclosingFunction(node);
      if (!value || !fn || !isFlaskView(context, fn)) return;
      const found = unescapedHtml(context, value, false);
      if (found) {
        const { how, ...evidence } = found;
        context.report({ node, messageId: 'viewReturn', data: { how }, ...evidence });
      }
    },
  },
  tests: {
    valid: [
      'from django.http import HttpResponse\nHttpResponse("<h1>Hello</h1>")',
      'from django.http import HttpResponse\nHttpResponse(f"{count} items")',
      'from django.http import HttpResponse\nHttpResponse(f"<p>{data}</p>", content_type="text/plain")',
      'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef index():\n    return render_template("index.html", name=name)',
      'def helper(name):\n    return f"<b>{name}</b>"',
      'from flask import Flask, request, jsonify\napp = Flask(__name__)\n@app.route("/a")\ndef a():\n    return jsonify(request.json)',
      'import json\nfrom django.http import HttpResponse\ndef view(request):\n    return HttpResponse(json.dumps(request.GET["q"]), content_type="application/json")',
      'from aiohttp import web\n\nasync def hello(request):\n    data = await request.json()\n    return web.Response(text=f"Hello {data[\'name\']}")',
      'from aiohttp import web\nimport html\n\nasync def hello(request):\n    data = await request.json()\n    return web.Response(text=f"<h1>Hello {html.escape(data[\'name\'])}</h1>", content_type="text/html")',
      'from aiohttp import web\n\nasync def index(request):\n    return web.Response(text="<h1>Welcome</h1>", content_type="text/html")',
      'import html\nfrom http.server import BaseHTTPRequestHandler\n\nclass Handler(BaseHTTPRequestHandler):\n    def do_GET(self):\n        body = "<p>%s</p>" % html.escape(self.path)\n        self.wfile.write(body.encode("utf-8"))',
      'import json\nfrom http.server import BaseHTTPRequestHandler\n\nclass Api(BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.wfile.write(json.dumps({"path": self.path}).encode())',
      'class Writer:\n    def emit(self, record):\n        self.wfile.write(f"<p>{record}</p>".encode())',
    ],
    invalid: [
      {
        code: 'from django.http import HttpResponse\n\ndef greet(request):\n    name = request.GET.get("name", "")\n    return HttpResponse(f"<h1>Hello {name}</h1>")',
        errors: [{ messageId: 'response', line: 5, message: 'HttpResponse' }],
      },
      {
        code: 'from django.http import HttpResponse as Page\ndef show(item):\n    return Page("<li>%s</li>" % item.name)',
        errors: [{ messageId: 'response', line: 3, message: '%-formatting' }],
      },
      {
        code: 'from flask import make_response\nmake_response("<p>" + comment + "</p>")',
        errors: [{ messageId: 'response', message: 'concatenation', confidence: 'medium' }],
      },
      {
        code: 'from starlette.responses import HTMLResponse\ndef page(title):\n    return HTMLResponse("Title: %s" % title)',
        errors: [{ messageId: 'response', message: 'HTMLResponse' }],
      },
      {
        code: 'from flask import Flask, request\napp = Flask(__name__)\n@app.get("/echo")\ndef echo():\n    text = request.args.get("text", "")\n    return text',
        errors: [{ messageId: 'viewReturn', line: 6, severity: 'high', confidence: 'high', message: 'request data' }],
      },
      {
        code: 'from flask import Flask\napp = Flask(__name__)\n@app.route("/hello/<name>")\ndef hello(name):\n    html = "<h1>Hello {}</h1>".format(name)\n    return html',
        errors: [{ messageId: 'viewReturn', line: 6, message: 'str.format()' }],
      },
      {
        code: 'from aiohttp import web\n\nasync def hello(request):\n    data = await request.json()\n    return web.Response(text=f"<h1>Hello {data[\'name\']}</h1>", content_type="text/html")',
        errors: [{ messageId: 'response', line: 5, confidence: 'high', message: 'Response' }],
      },
      {
        code: 'from aiohttp import web\n\nasync def search(request):\n    data = await request.json()\n    page = "<ul>" + "".join("<li>%s</li>" % term for term in data["terms"]) + "</ul>"\n    return web.Response(text=page, content_type="text/html", charset="utf-8")',
        errors: [{ messageId: 'response', line: 6 }],
      },
      {
        code: 'from http.server import BaseHTTPRequestHandler\n\nclass Handler(BaseHTTPRequestHandler):\n    def do_GET(self):\n        name = self.headers.get("X-User", "guest")\n        self.wfile.write(f"<h1>Hello {name}</h1>".encode())',
        errors: [{ messageId: 'response', line: 6, message: 'self.wfile.write' }],
      },
      {
        code: 'import http.server\n\nclass Handler(http.server.SimpleHTTPRequestHandler):\n    def send_error_page(self, message):\n        page = "<html><body><p>Error: %s</p></body></html>" % message\n        self.wfile.write(bytes(page, "utf-8"))',
        errors: [{ messageId: 'response', line: 6, message: '%-formatting' }],
      },
      {
        code: 'from django.http import HttpResponse\n\ndef search(request):\n    q = request.GET.get("q", "")\n    return HttpResponse("<p>No results for " + q + "</p>")',
        errors: [{ messageId: 'response', line: 5, confidence: 'high', message: 'concatenation' }],
      },
    ],
  },
});
