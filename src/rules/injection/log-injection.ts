import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isInstanceOf, methodOf, receiverOf, reportTracedFlow, tracedSource } from '../support/tainted-sink.js';

/** Logger methods, with the position of the message among their arguments. */
const LOG_METHODS = new Map([
  ...['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal'].map((m) => [m, 0] as const),
  ['log', 1],
]);

/** Names a logger object goes by: `logger`, `log`, `_LOGGER`, `app.logger`, `self.log`; or `logging.getLogger(…)` itself. */
const LOGGER_NAME = /^_*(?:logger|log|logging)$/i;
const LOGGER_FACTORIES = new Set(['logging.getLogger', 'logging.getLoggerClass', 'structlog.get_logger']);

function isLogger(context: RuleContext, receiver: SyntaxNode): boolean {
  if (context.qualifiedName(receiver) === 'logging') return true;
  if (receiver.type === 'call') return LOGGER_FACTORIES.has(context.calleeName(receiver) ?? '');
  if (receiver.type === 'attribute') return LOGGER_NAME.test(receiver.childForFieldName('attribute')?.text ?? '');
  if (receiver.type !== 'identifier') return false;
  return (
    isInstanceOf(context, receiver, LOGGER_FACTORIES) ||
    (LOGGER_NAME.test(receiver.text) && context.qualifiedName(receiver) === receiver.text)
  );
}

/** `%s`, `%(name)r`, `%-10.3f`: the conversion characters of a %-format string, in order (`%%` left out). */
function conversions(format: string): string[] {
  const found: string[] = [];
  for (const match of format.matchAll(/%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])/g))
    if (match[1] !== '%') found.push(match[1]);
  return found;
}

/**
 * The parts of a log call that reach the log line as text: f-string interpolations without
 * `!r`, the operands of `%` and `+`, and the lazy `%` arguments whose conversion is not `%r`.
 */
function loggedValues(context: RuleContext, message: SyntaxNode, args: readonly SyntaxNode[]): SyntaxNode[] {
  const format = context.stringValue(message);
  if (format !== undefined) {
    const specs = conversions(format);
    return args.filter((_, i) => specs[i] !== 'r');
  }
  if (message.type === 'string') {
    return message.namedChildren
      .filter((c) => c.type === 'interpolation' && c.childForFieldName('type_conversion')?.text !== '!r')
      .map((c) => c.childForFieldName('expression') ?? c.namedChildren[0]);
  }
  if (message.type === 'binary_operator' && message.childForFieldName('operator')?.type === '%') {
    const template = context.stringValue(message.childForFieldName('left'));
    const right = message.childForFieldName('right');
    if (template !== undefined && right) {
      const operands = right.type === 'tuple' ? right.namedChildren : [right];
      const specs = conversions(template);
      return [...operands.filter((_, i) => specs[i] !== 'r'), ...args];
    }
  }
  return [message, ...args];
}

export default createRule({
  id: 'log-injection',
  meta: {
    title: 'Request data logged without escaping line breaks',
    category: 'injection',
    cwe: [117],
    severity: 'low',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted: '`{{fn}}` writes {{source}} to the log without escaping line breaks',
    },
    docs: {
      why: 'A log record is one line. A client that puts `\\n` (or `%0a` in a URL path) into a value that is logged can end the record early and write lines of its own choosing after it: a forged "login succeeded for admin", or lines that break the parsers of log collectors and SIEMs. Terminal escape sequences in the same value can also rewrite what an operator sees with `tail`.',
      example:
        'import logging\nfrom flask import request\n\nlogger = logging.getLogger(__name__)\n\n@app.post("/login")\ndef login():\n    user = request.form["username"]\n    logger.warning("failed login for %s", user)',
      fix: 'Log the `repr` of client data (`%r`, `{value!r}`), which shows line breaks as `\\n`, or replace them before logging. A structured (JSON) log formatter escapes every field.\n\n```python\nimport logging\nfrom flask import request\n\nlogger = logging.getLogger(__name__)\n\n@app.post("/login")\ndef login():\n    user = request.form["username"]\n    logger.warning("failed login for %r", user)\n```',
      knownProblems:
        'Only values that data from a client reaches (request data, route parameters, a Lambda event, and queued job payloads at low confidence) are reported. A JSON formatter configured elsewhere makes the finding moot and is not seen. Loggers are recognised by how they are made (`logging.getLogger`) or named (`logger`, `log`, `app.logger`, `self.log`). Values passed in `extra=` are not checked.',
      references: [
        'https://owasp.org/www-community/attacks/Log_Injection',
        'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
        'https://cwe.mitre.org/data/definitions/117.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const method = methodOf(node);
      const position = method === undefined ? undefined : LOG_METHODS.get(method);
      const receiver = receiverOf(node);
      if (position === undefined || !receiver || !isLogger(context, receiver)) return;
      const positional = context.positionalArguments(node);
      const message = context.argument(node, position, 'msg');
      if (!message || positional.some((a) => a.type === 'list_splat')) return;
      const args = positional.slice(position + 1);
      const flow = tracedSource(context, loggedValues(context, message, args), 'log');
      if (!flow) return;
      reportTracedFlow(context, node, 'tainted', flow, { fn: `${receiver.text}.${method}` });
    },
  },
  tests: {
    valid: [
      'import logging\nfrom flask import request\nlogger = logging.getLogger(__name__)\n\ndef login():\n    logger.warning("failed login for %r", request.form["username"])',
      'import logging\nfrom flask import request\nlog = logging.getLogger("audit")\n\ndef view():\n    log.info(f"search for {request.args[\'q\']!r}")',
      'import logging\nlogger = logging.getLogger(__name__)\n\ndef view(request):\n    term = request.GET["q"].replace("\\n", " ").replace("\\r", " ")\n    logger.info("search: %s", term)',
      'import logging\nlogger = logging.getLogger(__name__)\n\ndef view(request):\n    logger.info("page %d requested", int(request.GET["page"]))',
      'import logging\nfrom flask import request\n\ndef view():\n    logging.info("request from %s handled", "static")',
      'import sys\nimport logging\nlogging.basicConfig()\nlogging.info("processing %s", sys.argv[1])',
      'from flask import request\n\ndef view(catalog):\n    catalog.info(request.args["q"])',
    ],
    invalid: [
      {
        code: 'import logging\nfrom flask import request\nlogger = logging.getLogger(__name__)\n\ndef login():\n    user = request.form["username"]\n    logger.warning("failed login for %s", user)',
        errors: [{ messageId: 'tainted', line: 7, severity: 'low', message: 'request.form (Flask)' }],
      },
      {
        code: 'from flask import current_app, request\n\ndef upload():\n    current_app.logger.info(f"upload of {request.files[\'doc\'].filename} started")',
        errors: [{ messageId: 'tainted', line: 4, message: '`current_app.logger.info`' }],
      },
      {
        code: 'import logging\n\ndef view(request):\n    logging.error("bad referer: " + request.META.get("HTTP_REFERER", ""))',
        errors: [{ messageId: 'tainted', line: 4, message: 'request.META (Django)' }],
      },
      {
        code: 'import logging\nfrom http.server import BaseHTTPRequestHandler\nlog = logging.getLogger("server")\n\nclass Handler(BaseHTTPRequestHandler):\n    def do_GET(self):\n        log.info("GET %s" % self.path)',
        errors: [{ messageId: 'tainted', line: 7, message: 'self.path (http.server)' }],
      },
      {
        code: 'import logging\nfrom flask import request\n\ndef view():\n    logging.getLogger("app").info("next=%s", request.args.get("next"))',
        errors: [{ messageId: 'tainted', line: 5, message: '`logging.getLogger("app").info`' }],
      },
      {
        code: 'import logging\nfrom aiohttp import web\nlogger = logging.getLogger(__name__)\n\nasync def hello(request):\n    name = request.match_info["name"]\n    logger.log(logging.INFO, "hello %s", name)\n    return web.Response(text="hi")',
        errors: [{ messageId: 'tainted', line: 7, message: 'request.match_info (aiohttp)' }],
      },
      {
        code: 'import logging\nfrom fastapi import FastAPI\napp = FastAPI()\n_LOGGER = logging.getLogger(__name__)\n\n@app.get("/items/{item}")\ndef item(item: str):\n    _LOGGER.debug("item %(i)s", {"i": item})',
        errors: [{ messageId: 'tainted', line: 8, message: 'route parameter `item`' }],
      },
    ],
  },
});
