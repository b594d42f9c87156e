import { calleeLastName } from '../../engine/calls.js';
import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { hasNameWord, targetName } from '../support/secrets-names.js';

type MessageId = 'hostArgument' | 'bindAddress' | 'hostSetting';

/** Addresses that mean "every interface". The empty string only counts inside an address tuple. */
const ANY_ADDRESSES = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);
const HOST_KEYWORDS = new Set([
  'host',
  'hostname',
  'bind',
  'bind_address',
  'bind_host',
  'listen',
  'listen_address',
  'address',
  'addr',
  'interface',
]);
/** Callees (last name) whose first positional argument is a host, or an `(host, port)` address. */
const HOST_FIRST = /^(run|run_simple|serve|listen|make_server|bind|[A-Za-z]*Server)$/;
/**
 * asyncio's servers take the connection handler first and the host second
 * (`asyncio.start_server(handle, host, port)`, `loop.create_server(factory, host, port)`);
 * `socket.create_server` takes an `(host, port)` address first.
 */
const HOST_SECOND = new Set(['start_server', 'create_server']);
/** `0.0.0.0:8000`, `[::]:8000`: gunicorn, hypercorn and uvicorn bind strings. */
const ANY_WITH_PORT = /^(0\.0\.0\.0|\[::\]):\d+$/;
const HOST_WORDS = new Set(['host', 'hostname', 'bind', 'listen', 'addr', 'address', 'interface']);

function anyAddress(
  node: SyntaxNode | undefined,
  context: RuleContext<MessageId>,
  allowEmpty: boolean,
): string | undefined {
  if (node?.type !== 'string') return undefined;
  const value = context.stringValue(node);
  if (value === undefined) return undefined;
  return ANY_ADDRESSES.has(value) || ANY_WITH_PORT.test(value) || (allowEmpty && value === '') ? value : undefined;
}

/** The every-interface address in a bind setting: a string, or the first such item of a list (`bind = ["0.0.0.0:80"]`). */
function anyBindAddress(node: SyntaxNode | undefined, context: RuleContext<MessageId>): string | undefined {
  if (node?.type === 'list' || node?.type === 'tuple')
    return node.namedChildren.map((item) => anyAddress(item, context, false)).find((a) => a !== undefined);
  return anyAddress(node, context, false);
}

export default createRule({
  id: 'bind-all-interfaces',
  meta: {
    title: 'Server bound to every network interface',
    category: 'hardening',
    cwe: [605, 1327],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B104'], ruff: ['S104'] },
    messages: {
      hostArgument:
        '`{{fn}}` listens on `{{address}}`, every network interface; bind to `127.0.0.1` or a configured address',
      bindAddress:
        '`{{fn}}` binds to `("{{address}}", …)`, every network interface; bind to `127.0.0.1` or a configured address',
      hostSetting:
        '`{{name}}` is set to `{{address}}`, every network interface; make the listening address configurable',
    },
    docs: {
      why: 'Listening on `0.0.0.0` or `::` (or the empty host in a socket address) accepts connections on every interface of the machine, including public ones. A development server, an admin port or a debug endpoint meant for local use becomes reachable from the network.',
      example: 'import socket\n\nserver = socket.socket()\nserver.bind(("0.0.0.0", 8080))\nserver.listen()',
      fix: 'Bind to the loopback address unless the service must be public, and take the listening address from configuration so that exposing it is a deliberate deployment decision.\n\n```python\nimport os\nimport socket\n\nserver = socket.socket()\nserver.bind((os.environ.get("BIND_ADDRESS", "127.0.0.1"), 8080))\nserver.listen()\n```',
      knownProblems:
        'Containers usually must listen on `0.0.0.0`; suppress the finding there, or read the address from the environment. Unlike Ruff S104, which reports every `"0.0.0.0"` string, only addresses passed as a host (`host=`, `bind=`, the first argument of `run`, `serve`, `listen`, `bind` and `*Server` constructors, or the host of an `(host, port)` tuple passed to them, the second argument of `asyncio.start_server` and `loop.create_server`) or assigned to a host-like name (`HOST`, `bind_address`) are reported. Bind strings with a port (`"0.0.0.0:8000"`, `"[::]:8000"`) and lists of them count too: `bind = "0.0.0.0:8000"` in a gunicorn configuration module, or `config.bind` for hypercorn, is reported at medium confidence, other host-like names at low confidence.',
      references: [
        'https://cwe.mitre.org/data/definitions/1327.html',
        'https://docs.python.org/3/library/socket.html#socket.socket.bind',
        'https://flask.palletsprojects.com/en/stable/server/',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = calleeLastName(node);
      if (!fn) return;
      const keywords = context.keywordArguments(node);
      // Most calls pass no keyword: no iterator for them.
      if (keywords.size > 0)
        for (const [keyword, argument] of keywords) {
          if (!HOST_KEYWORDS.has(keyword)) continue;
          const value = argument.childForFieldName('value') ?? undefined;
          // Only `bind=` takes a list of listening addresses; an `address=` tuple is usually a peer.
          const address = keyword === 'bind' ? anyBindAddress(value, context) : anyAddress(value, context, false);
          if (address !== undefined) {
            context.report({ node, messageId: 'hostArgument', data: { fn, address } });
            return;
          }
        }
      if (HOST_SECOND.has(fn) && context.calleeName(node) !== 'socket.create_server') {
        const address = anyAddress(context.argument(node, 1), context, false);
        if (address !== undefined) context.report({ node, messageId: 'hostArgument', data: { fn, address } });
        return;
      }
      if (!HOST_FIRST.test(fn) && fn !== 'create_server') return;
      const first = context.argument(node, 0);
      const address = anyAddress(first, context, false);
      if (address !== undefined) {
        context.report({ node, messageId: 'hostArgument', data: { fn, address } });
        return;
      }
      const tupleHost = first?.type === 'tuple' ? anyAddress(first.namedChildren[0], context, true) : undefined;
      if (tupleHost !== undefined && first!.namedChildren.length >= 2)
        context.report({ node, messageId: 'bindAddress', data: { fn, address: tupleHost } });
    },
    assignment(node, context) {
      const left = node.childForFieldName('left');
      const name = left && targetName(left);
      if (!name || !hasNameWord(name, HOST_WORDS)) return;
      const right = node.childForFieldName('right') ?? undefined;
      const address = name === 'bind' ? anyBindAddress(right, context) : anyAddress(right, context, false);
      if (address === undefined) return;
      // gunicorn and hypercorn read `bind` from their configuration module: it is the listening address.
      const isServerBind = name === 'bind' && (ANY_WITH_PORT.test(address) || left.type === 'attribute');
      context.report({
        node,
        messageId: 'hostSetting',
        data: { name, address },
        confidence: isServerBind ? 'medium' : 'low',
      });
    },
  },
  tests: {
    valid: [
      'import socket\ns = socket.socket()\ns.bind(("127.0.0.1", 8080))',
      'app.run(host="127.0.0.1", port=5000)',
      'import os\nuvicorn.run(app, host=os.environ["HOST"])',
      'if addr == "0.0.0.0":\n    addr = "localhost"',
      'DEFAULT_HOST = "localhost"',
      'print("listening on 0.0.0.0")',
      'bind = "127.0.0.1:8000"\nworkers = 4',
      'import asyncio\nasync def main():\n    await asyncio.start_server(handle, "127.0.0.1", 8888)',
      'import uvicorn\nconfig = uvicorn.Config(app, host="127.0.0.1", port=8000)',
      'import socket\nsock = socket.create_server(("localhost", 8080))',
    ],
    invalid: [
      {
        code: 'import socket\ns = socket.socket()\ns.bind(("0.0.0.0", 8080))',
        errors: [{ messageId: 'bindAddress', line: 3, message: '`bind`' }],
      },
      {
        code: 'from http.server import HTTPServer\nhttpd = HTTPServer(("", 8000), Handler)',
        errors: [{ messageId: 'bindAddress', message: '`HTTPServer`' }],
      },
      { code: 'app.run(host="0.0.0.0", port=5000)', errors: [{ messageId: 'hostArgument', message: '`0.0.0.0`' }] },
      { code: 'import uvicorn\nuvicorn.run("main:app", host="::")', errors: [{ messageId: 'hostArgument' }] },
      {
        code: 'web.run_app(app, host="0.0.0.0")\nserver.listen("0.0.0.0")',
        errors: [
          { messageId: 'hostArgument', line: 1 },
          { messageId: 'hostArgument', line: 2 },
        ],
      },
      { code: 'BIND_HOST = "0.0.0.0"', errors: [{ messageId: 'hostSetting', confidence: 'low' }] },
      {
        code: 'bind = "0.0.0.0:8000"\nworkers = 4\naccesslog = "-"',
        filename: 'gunicorn.conf.py',
        errors: [{ messageId: 'hostSetting', line: 1, confidence: 'medium', message: '`0.0.0.0:8000`' }],
      },
      {
        code: 'from hypercorn.config import Config\nconfig = Config()\nconfig.bind = ["[::]:8443"]',
        errors: [{ messageId: 'hostSetting', line: 3, confidence: 'medium' }],
      },
      {
        code: 'import asyncio\nasync def main():\n    server = await asyncio.start_server(handle_client, "0.0.0.0", 8888)',
        errors: [{ messageId: 'hostArgument', line: 3, message: '`start_server`' }],
      },
      {
        code: 'import asyncio\nasync def main():\n    loop = asyncio.get_running_loop()\n    await loop.create_server(EchoProtocol, "::", 9000)',
        errors: [{ messageId: 'hostArgument', line: 4, message: '`::`' }],
      },
      {
        code: 'import uvicorn\nconfig = uvicorn.Config("app.main:app", host="0.0.0.0", port=8000)\nserver = uvicorn.Server(config)',
        errors: [{ messageId: 'hostArgument', line: 2, message: '`Config`' }],
      },
      {
        code: 'import socket\nsock = socket.create_server(("", 8080))',
        errors: [{ messageId: 'bindAddress', message: '`create_server`' }],
      },
    ],
  },
});
