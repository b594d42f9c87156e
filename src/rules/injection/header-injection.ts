import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isInstanceOf, methodOf, receiverOf, tracedSource } from '../support/tainted-sink.js';

/** Django responses set headers with `response["Name"] = value`. */
const DJANGO_RESPONSES = new Set([
  'django.http.HttpResponse',
  'django.http.JsonResponse',
  'django.http.FileResponse',
  'django.http.StreamingHttpResponse',
  'django.http.HttpResponseRedirect',
  'django.shortcuts.render',
  'django.http.response.HttpResponse',
]);

/** `headers.add(name, value)` and friends on a headers mapping, and header setters on a response. */
const HEADER_METHODS = new Set(['add', 'set', 'setdefault', 'add_header', 'append']);
const RESPONSE_HEADER_METHODS = new Set(['set_header', 'add_header', 'setheader', 'send_header']);
/** Servers that write header values as given, without rejecting CR and LF. */
const RAW_SERVERS = ['http.server', 'wsgiref', 'socketserver', 'BaseHTTPServer'];
/** Calls whose result cannot hold a line break: numbers, identifiers, encodings and digests. */
const LINE_FREE_CALLS = new Set([
  'int',
  'float',
  'len',
  'uuid.uuid4',
  'jwt.encode',
  'urllib.parse.quote',
  'urllib.parse.quote_plus',
  'urllib.parse.urlencode',
  'json.dumps',
  'base64.b64encode',
  'base64.urlsafe_b64encode',
  'secrets.token_urlsafe',
  'secrets.token_hex',
]);
const LINE_FREE_METHODS = new Set(['hexdigest', 'isoformat', 'hex']);
/** Attributes that hold database keys and other identifiers (`user.id`, `order.pk`, `account_id`). */
const IDENTIFIER_ATTRIBUTE = /^(id|pk|uuid|[a-z_]+_id)$/;

/** True when a value visibly cannot carry CR or LF, so no header can be split with it. */
function isLineFree(value: SyntaxNode | undefined, context: RuleContext<MessageId>): boolean {
  if (!value) return false;
  if (context.isConstant(value)) return true;
  if (value.type === 'call') {
    const fn = value.childForFieldName('function');
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (LINE_FREE_CALLS.has(context.calleeName(value) ?? '') || (method && LINE_FREE_METHODS.has(method))) return true;
    // `str(user.id)`: converting an identifier keeps it an identifier.
    if (context.calleeName(value) === 'str') return isLineFree(context.argument(value, 0), context);
    return false;
  }
  if (value.type === 'attribute') return IDENTIFIER_ATTRIBUTE.test(value.childForFieldName('attribute')?.text ?? '');
  if (value.type === 'identifier') {
    const bindings = context.bindingsOf(value);
    return bindings.length === 1 && bindings[0].kind === 'assign' && isLineFree(bindings[0].value, context);
  }
  return false;
}

type MessageId = 'header' | 'cookie';

function isHeadersMapping(node: SyntaxNode | null | undefined): boolean {
  return node?.type === 'attribute' && node.childForFieldName('attribute')?.text === 'headers';
}

function report(
  context: RuleContext<MessageId>,
  node: SyntaxNode,
  messageId: MessageId,
  values: (SyntaxNode | undefined)[],
): void {
  if (values.every((value) => !value || isLineFree(value, context))) return;
  const flow = tracedSource(context, values, 'header');
  if (!flow) return;
  // Django, Werkzeug, Starlette and aiohttp reject CR and LF in header values, and quote cookie
  // values; only servers that write headers as given can be split.
  const rawServer = messageId === 'header' && RAW_SERVERS.some((module) => context.isModuleImported(module));
  const severity = rawServer ? 'medium' : 'low';
  context.report({
    node,
    messageId,
    data: { source: flow.origin.source ?? 'untrusted input' },
    severity,
    confidence: flow.origin.confidence,
    origin: flow.origin,
  });
}

export default createRule({
  id: 'header-injection',
  meta: {
    title: 'Response header from untrusted input',
    category: 'injection',
    cwe: [113],
    severity: 'medium',
    confidence: 'high',
    equivalents: {},
    messages: {
      header: 'A response header is set from {{source}}',
      cookie: 'A cookie is set from {{source}}',
    },
    docs: {
      why: 'A header value that carries a carriage return and line feed ends the header and starts another, or ends the headers and starts the body: the client can then set cookies, poison caches or inject a whole page (HTTP response splitting). Even without CR/LF, a client-chosen `Location`, `Content-Disposition` or `Content-Type` changes what the browser does with the response.',
      example:
        'from flask import make_response, request\n\n@app.get("/export")\ndef export():\n    response = make_response(build_report())\n    response.headers["Content-Disposition"] = "attachment; filename=" + request.args["name"]\n    return response',
      fix: 'Do not copy request data into headers; if you must, reduce it to a known-safe form first (an integer, an allow-listed value, `secure_filename`, or percent-encoding with `urllib.parse.quote`).\n\n```python\nfrom flask import make_response, request\nfrom werkzeug.utils import secure_filename\n\n@app.get("/export")\ndef export():\n    response = make_response(build_report())\n    name = secure_filename(request.args["name"]) or "report.csv"\n    response.headers["Content-Disposition"] = f"attachment; filename={name}"\n    return response\n```',
      knownProblems:
        "Only flows from web request data or route parameters are reported, with their trace; unknown origins are not. Django, Werkzeug, Starlette and aiohttp reject header values that contain CR or LF, so there the risk is the header's meaning rather than response splitting, and findings are low severity; they are medium only in files that use a server writing headers as given (`http.server`, including `send_header`, `wsgiref`, `socketserver`). Cookie values are reported at low severity, since frameworks quote them. Values that cannot hold a line break are not reported: numbers, database identifiers (`user.id`, `order.pk`, `*_id`), JWTs from `jwt.encode`, digests, UUIDs and percent- or JSON-encoded text. Removing CR/LF with `.replace()` is not recognised as a sanitizer.",
      references: [
        'https://owasp.org/www-community/attacks/HTTP_Response_Splitting',
        'https://cwe.mitre.org/data/definitions/113.html',
      ],
    },
  },
  visitors: {
    assignment(node, context) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'subscript' || !right) return;
      const target = left.childForFieldName('value');
      if (isHeadersMapping(target) || (target && isInstanceOf(context, target, DJANGO_RESPONSES)))
        report(context, node, 'header', [right]);
    },
    call(node, context) {
      const method = methodOf(node);
      const receiver = receiverOf(node);
      if (!method || !receiver) return;
      if (method === 'set_cookie') {
        report(context, node, 'cookie', [context.argument(node, 1, 'value'), context.argument(node, 0, 'key')]);
      } else if ((HEADER_METHODS.has(method) && isHeadersMapping(receiver)) || RESPONSE_HEADER_METHODS.has(method)) {
        report(context, node, 'header', [context.argument(node, 1, 'value'), context.argument(node, 0, 'name')]);
      }
    },
  },
  tests: {
    valid: [
      'from flask import request\n\ndef f(response):\n    response.headers["X-Count"] = str(int(request.args["n"]))',
      'def f(response, value):\n    response.headers["X-Value"] = value',
      'from flask import request\n\ndef f(response):\n    response.set_cookie("theme", "dark")\n    response.headers["Content-Type"] = "text/plain"',
      'from flask import request\n\ndef f(response):\n    lang = request.args["lang"]\n    if lang in ("en", "fr"):\n        response.headers["Content-Language"] = lang',
      'import jwt\nfrom flask import make_response, request\n\ndef login():\n    response = make_response("ok")\n    token = jwt.encode({"sub": request.form["user"]}, KEY)\n    response.set_cookie("token", token)\n    return response',
      'from django.http import HttpResponse\n\ndef view(request):\n    order = Order.objects.get(pk=request.GET["order"])\n    response = HttpResponse("ok")\n    response["X-Order-Id"] = str(order.id)\n    return response',
    ],
    invalid: [
      {
        code: 'from flask import make_response, request\n\ndef f():\n    response = make_response("ok")\n    response.headers["Content-Disposition"] = "attachment; filename=" + request.args["name"]\n    return response',
        errors: [{ messageId: 'header', line: 5, severity: 'low', message: 'request.args' }],
      },
      {
        code: 'from django.http import HttpResponse\n\ndef view(request):\n    response = HttpResponse("ok")\n    response["X-Forwarded-For"] = request.META["HTTP_X_REAL_IP"]\n    return response',
        errors: [{ messageId: 'header', line: 5 }],
      },
      {
        code: 'from flask import make_response, request\n\ndef f():\n    response = make_response("ok")\n    response.set_cookie("session_hint", request.args["hint"])\n    return response',
        errors: [{ messageId: 'cookie', line: 5, severity: 'low' }],
      },
      {
        code: 'from http.server import BaseHTTPRequestHandler\nfrom flask import request\n\ndef relay(handler):\n    handler.send_header("X-Forwarded-User", request.args["user"])',
        errors: [{ messageId: 'header', line: 5, severity: 'medium' }],
      },
      {
        code: 'from flask import make_response, request\n\ndef f():\n    response = make_response("ok")\n    response.headers.add("Link", f"<{request.args[\'u\']}>; rel=preload")\n    return response',
        errors: [{ messageId: 'header', line: 5 }],
      },
    ],
  },
});
