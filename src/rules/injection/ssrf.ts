import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import {
  hasFixedHost,
  isInstanceOf,
  leadingText,
  methodOf,
  receiverOf,
  tracedSource,
} from '../support/tainted-sink.js';

/** Where the URL goes, for functions that fetch one. */
interface UrlArgument {
  position: number;
  keyword: string;
}

const FIRST_URL: UrlArgument = { position: 0, keyword: 'url' };
const SECOND_URL: UrlArgument = { position: 1, keyword: 'url' };

/** Module functions that fetch a URL, by qualified name. */
const FETCH_FUNCTIONS = new Map<string, UrlArgument>([
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].flatMap((m) => [
    [`requests.${m}`, FIRST_URL] as const,
    [`requests.api.${m}`, FIRST_URL] as const,
    [`httpx.${m}`, FIRST_URL] as const,
  ]),
  ['requests.request', SECOND_URL],
  ['requests.api.request', SECOND_URL],
  ['httpx.request', SECOND_URL],
  ['httpx.stream', SECOND_URL],
  ['urllib.request.urlopen', FIRST_URL],
  ['urllib.request.Request', FIRST_URL],
  ['urllib.request.urlretrieve', FIRST_URL],
  ['urllib3.request', SECOND_URL],
  ['http.client.HTTPConnection', { position: 0, keyword: 'host' }],
  ['http.client.HTTPSConnection', { position: 0, keyword: 'host' }],
]);

/** Client objects whose methods fetch a URL (`s = requests.Session(); s.get(url)`). */
const CLIENT_FACTORIES = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'httpx.Client',
  'httpx.AsyncClient',
  'aiohttp.ClientSession',
  'urllib3.PoolManager',
  'urllib3.ProxyManager',
  'urllib3.HTTPConnectionPool',
  'urllib3.HTTPSConnectionPool',
]);

/** Client methods: the URL is first, except for `request(method, url)` and urllib3's `urlopen(method, url)`. */
const CLIENT_METHODS = new Map<string, UrlArgument>([
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'stream', 'ws_connect'].map(
    (m) => [m, FIRST_URL] as const,
  ),
  ['request', SECOND_URL],
  ['urlopen', SECOND_URL],
]);

function fetchSink(call: SyntaxNode, context: RuleContext): { name: string; url: SyntaxNode | undefined } | undefined {
  const callee = context.calleeName(call);
  const known = callee ? FETCH_FUNCTIONS.get(callee) : undefined;
  if (known) return { name: callee!, url: context.argument(call, known.position, known.keyword) };
  const method = methodOf(call);
  const receiver = receiverOf(call);
  const argument = method ? CLIENT_METHODS.get(method) : undefined;
  if (!argument || !receiver || !isInstanceOf(context, receiver, CLIENT_FACTORIES)) return undefined;
  return { name: `${receiver.text}.${method}`, url: context.argument(call, argument.position, argument.keyword) };
}

export default createRule({
  id: 'ssrf',
  meta: {
    title: 'Server-side request to a URL from untrusted input',
    category: 'injection',
    cwe: [918],
    severity: 'high',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted: '`{{fn}}` fetches a URL that comes from {{source}}',
    },
    docs: {
      why: 'When a client chooses the URL the server fetches, it can make the server reach places the client cannot: cloud metadata endpoints (`169.254.169.254`), admin interfaces on localhost, internal services behind the firewall, or `file://` URLs. The response, or its timing, leaks what is there.',
      example:
        'import requests\nfrom flask import request\n\n@app.get("/preview")\ndef preview():\n    url = request.args["url"]\n    return requests.get(url, timeout=5).text',
      fix: 'Keep the scheme and host fixed in code and let the input choose only a path or query value, or check the parsed host against an allow-list before fetching.\n\n```python\nimport requests\nfrom urllib.parse import urlsplit\nfrom flask import abort, request\n\nALLOWED_HOSTS = {"images.example.com"}\n\n@app.get("/preview")\ndef preview():\n    url = request.args["url"]\n    if urlsplit(url).hostname not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url, timeout=5).text\n```',
      knownProblems:
        'Only flows from web request data or route parameters are reported, with their trace; a URL of unknown origin, such as a function parameter, is not, because URLs built from variables are everywhere, and neither is one from the command line, `input()` or the environment, which a command-line tool is meant to fetch. A URL whose literal start fixes the scheme and host (`f"https://api.example.com/{id}"`) is not reported. A host check written as `if host in ALLOWED` on a parsed URL is not recognised unless it tests the variable that is fetched.',
      references: [
        'https://owasp.org/www-community/attacks/Server_Side_Request_Forgery',
        'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html',
        'https://cwe.mitre.org/data/definitions/918.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = fetchSink(node, context);
      if (!sink?.url || hasFixedHost(leadingText(context, sink.url))) return;
      const flow = tracedSource(context, [sink.url], 'ssrf');
      if (!flow) return;
      context.report({
        node,
        messageId: 'tainted',
        data: { fn: sink.name, source: flow.origin.source ?? 'untrusted input' },
        confidence: flow.origin.confidence,
        origin: flow.origin,
      });
    },
  },
  tests: {
    valid: [
      'import requests\nfrom flask import request\n\ndef f():\n    return requests.get(f"https://api.example.com/items/{request.args[\'id\']}")',
      'import requests\n\ndef fetch(url):\n    return requests.get(url)',
      'import requests\nfrom flask import request\n\ndef f():\n    url = request.args["u"]\n    if url in ALLOWED_URLS:\n        return requests.get(url)',
      'import requests\nrequests.get("https://example.com")',
      'import sys\nfrom urllib.request import urlopen\n\nhost = sys.argv[1]\nurlopen("http://" + host + "/status")',
    ],
    invalid: [
      {
        code: 'import requests\nfrom flask import request\n\ndef f():\n    target = request.args.get("url")\n    return requests.post(target, json={})',
        errors: [{ messageId: 'tainted', line: 6, confidence: 'high', message: 'request.args (Flask)' }],
      },
      {
        code: 'import httpx\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/proxy")\nasync def proxy(url: str):\n    async with httpx.AsyncClient() as client:\n        return await client.get(url)',
        errors: [{ messageId: 'tainted', line: 8 }],
      },
      {
        code: 'import requests\n\ndef view(request):\n    s = requests.Session()\n    return s.request("GET", request.GET["next"])',
        errors: [{ messageId: 'tainted', line: 5, message: 'Django' }],
      },
      {
        code: 'from urllib.request import urlopen\n\ndef view(request):\n    host = request.GET["host"]\n    return urlopen("http://" + host + "/status").read()',
        errors: [{ messageId: 'tainted', line: 5, message: 'request.GET (Django)' }],
      },
    ],
  },
});
