import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { unparenthesized } from '../support/template-strings.js';
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
  ['aiohttp.request', SECOND_URL],
  ['urllib.request.urlopen', FIRST_URL],
  ['urllib.request.Request', FIRST_URL],
  ['urllib.request.urlretrieve', FIRST_URL],
  ['urllib3.request', SECOND_URL],
  ['http.client.HTTPConnection', { position: 0, keyword: 'host' }],
  ['http.client.HTTPSConnection', { position: 0, keyword: 'host' }],
  // PyJWT's key client downloads the JWK set at its URL.
  ['jwt.PyJWKClient', { position: 0, keyword: 'uri' }],
  ['jwt.jwks_client.PyJWKClient', { position: 0, keyword: 'uri' }],
]);

/** Functions that return the header of a JWT without checking its signature (PyJWT, python-jose). */
const UNVERIFIED_HEADER_READERS = new Set([
  'jwt.get_unverified_header',
  'jwt.api_jws.get_unverified_header',
  'jose.jwt.get_unverified_header',
  'jose.jwt.get_unverified_headers',
  'jose.jws.get_unverified_header',
  'jose.jws.get_unverified_headers',
]);

/** JWT header fields that name where to fetch the verification key. */
const KEY_URL_FIELDS = new Set(['jku', 'x5u']);

const MAX_JWT_DEPTH = 4;

function isUnverifiedHeader(context: RuleContext, node: SyntaxNode, depth: number): boolean {
  if (node.type === 'call') return UNVERIFIED_HEADER_READERS.has(context.calleeName(node) ?? '');
  if (node.type !== 'identifier' || depth > MAX_JWT_DEPTH) return false;
  return context
    .bindingsOf(node)
    .some((b) => b.kind === 'assign' && !!b.value && isUnverifiedHeader(context, b.value, depth + 1));
}

/**
 * The key-URL field (`jku`, `x5u`) of an unverified JWT header that `url` holds: `header["jku"]`,
 * `header.get("x5u")`, directly or through a variable. The token's sender chooses it, so
 * fetching it lets anyone point the server at an internal URL, or at a key set of their own.
 */
function keyUrlField(context: RuleContext, url: SyntaxNode, depth = 0): string | undefined {
  if (depth > MAX_JWT_DEPTH) return undefined;
  const node = unparenthesized(url);
  let container: SyntaxNode | null | undefined;
  let field: SyntaxNode | null | undefined;
  if (node.type === 'subscript') {
    container = node.childForFieldName('value');
    field = node.childForFieldName('subscript');
  } else if (node.type === 'call' && methodOf(node) === 'get') {
    container = receiverOf(node);
    field = context.argument(node, 0, 'key');
  } else if (node.type === 'identifier') {
    for (const binding of context.bindingsOf(node)) {
      const found = binding.kind === 'assign' && binding.value && keyUrlField(context, binding.value, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const name = field ? context.stringValue(field) : undefined;
  return container && name && KEY_URL_FIELDS.has(name) && isUnverifiedHeader(context, container, depth)
    ? name
    : undefined;
}

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
      keyUrl:
        "`{{fn}}` fetches the `{{field}}` URL of a JWT header read before the signature is checked; the token's sender chooses it",
    },
    docs: {
      why: 'When a client chooses the URL the server fetches, it can make the server reach places the client cannot: cloud metadata endpoints (`169.254.169.254`), admin interfaces on localhost, internal services behind the firewall, or `file://` URLs. The response, or its timing, leaks what is there.',
      example:
        'import requests\nfrom flask import request\n\n@app.get("/preview")\ndef preview():\n    url = request.args["url"]\n    return requests.get(url, timeout=5).text',
      fix: 'Keep the scheme and host fixed in code and let the input choose only a path or query value, or check the parsed host against an allow-list before fetching.\n\n```python\nimport requests\nfrom urllib.parse import urlsplit\nfrom flask import abort, request\n\nALLOWED_HOSTS = {"images.example.com"}\n\n@app.get("/preview")\ndef preview():\n    url = request.args["url"]\n    if urlsplit(url).hostname not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url, timeout=5).text\n```',
      knownProblems:
        'Only flows from web request data or route parameters are reported, with their trace; a URL of unknown origin, such as a function parameter, is not, because URLs built from variables are everywhere, and neither is one from the command line, `input()` or the environment, which a command-line tool is meant to fetch. A URL whose literal start fixes the scheme and host (`f"https://api.example.com/{id}"`) is not reported. A host check written as `if host in ALLOWED` on a parsed URL is not recognised unless it tests the variable that is fetched. Client objects are recognised when they are made in the same file: a variable bound to `requests.Session()`, `httpx.Client()`, `aiohttp.ClientSession()` (also in `with`), the call itself, or an attribute of `self` that the class sets to one. Independently of request data, a `jku` or `x5u` URL taken from a JWT header read by `get_unverified_header` and fetched is reported: the token\'s sender chooses it.',
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
      const field =
        context.isModuleImported('jwt') || context.isModuleImported('jose')
          ? keyUrlField(context, sink.url)
          : undefined;
      if (field) {
        context.report({ node, messageId: 'keyUrl', data: { fn: sink.name, field } });
        return;
      }
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
      'import requests\nfrom flask import request\n\nclass Client:\n    def __init__(self):\n        self.session = {}\n\n    def lookup(self):\n        return self.session.get(request.args["key"])',
      'import requests\nfrom flask import request\n\nclass Api:\n    def __init__(self, session):\n        self.session = session or requests.Session()\n\n    def item(self):\n        return self.session.get("https://api.example.com/items/" + request.args["id"])',
      'import jwt\nimport requests\n\nJWKS_URL = "https://login.example.com/.well-known/jwks.json"\n\ndef key_for(token):\n    kid = jwt.get_unverified_header(token)["kid"]\n    return requests.get(JWKS_URL, timeout=5).json()[kid]',
      'import jwt\nimport requests\n\ndef key_for(token):\n    header = jwt.get_unverified_header(token)\n    if header["jku"] not in TRUSTED_JKU:\n        raise ValueError("untrusted key set")\n    return requests.get(TRUSTED_JKU[header["jku"]], timeout=5).json()',
      'import aiohttp\nfrom flask import request\n\nasync def f():\n    async with aiohttp.ClientSession(base_url="https://api.example.com") as s:\n        return await s.get(f"https://api.example.com/users/{request.args[\'id\']}")',
      'import httpx\nfrom flask import request\n\ndef f():\n    params = {"q": request.args["q"]}\n    return httpx.Client().get("https://search.example.com/api", params=params)',
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
      {
        code: 'import requests\nfrom flask import request\n\nclass Fetcher:\n    def __init__(self):\n        self.session = requests.Session()\n\n    def fetch(self):\n        return self.session.get(request.args["url"], timeout=5)',
        errors: [{ messageId: 'tainted', line: 9, message: 'self.session.get' }],
      },
      {
        code: 'import aiohttp\nfrom flask import request\n\nasync def f():\n    url = request.args["url"]\n    async with aiohttp.ClientSession() as session:\n        async with session.get(url) as response:\n            return await response.text()',
        errors: [{ messageId: 'tainted', line: 7 }],
      },
      {
        code: 'import requests\nfrom flask import request\n\ndef hook():\n    return requests.Session().post(request.form["callback"], json={"ok": True})',
        errors: [{ messageId: 'tainted', line: 5, message: 'requests.Session().post' }],
      },
      {
        code: 'import requests\nfrom flask import request\n\ndef proxy():\n    return requests.request(request.method, request.args["target"], timeout=5)',
        errors: [{ messageId: 'tainted', line: 5, message: 'requests.request' }],
      },
      {
        code: 'import httpx\n\nasync def view(request):\n    client = httpx.AsyncClient()\n    return await client.get(request.GET["u"])',
        errors: [{ messageId: 'tainted', line: 5, message: 'Django' }],
      },
      {
        code: 'import jwt\nimport requests\n\ndef verify(token):\n    header = jwt.get_unverified_header(token)\n    jwks = requests.get(header["jku"], timeout=5).json()\n    return jwt.decode(token, jwks, algorithms=["RS256"])',
        errors: [{ messageId: 'keyUrl', line: 6, message: '`jku`' }],
      },
      {
        code: 'from jose import jwt\nimport urllib.request\n\ndef cert_for(token):\n    url = jwt.get_unverified_header(token).get("x5u")\n    return urllib.request.urlopen(url).read()',
        errors: [{ messageId: 'keyUrl', line: 6, message: '`x5u`' }],
      },
      {
        code: 'import jwt\n\ndef signing_key(token):\n    header = jwt.get_unverified_header(token)\n    return jwt.PyJWKClient(header["jku"]).get_signing_key(header["kid"])',
        errors: [{ messageId: 'keyUrl', line: 5, message: 'jwt.PyJWKClient' }],
      },
      {
        code: 'import requests\nfrom flask import request\n\ndef status():\n    host = request.args["host"]\n    return requests.get("https://%s/api/status" % host, timeout=5)',
        errors: [{ messageId: 'tainted', line: 6 }],
      },
      {
        code: 'import requests\n\nsession = requests.Session()\n\ndef view(request):\n    region = request.GET["region"]\n    url = f"https://{region}.internal/api/v1/report"\n    return session.get(url, timeout=5)',
        errors: [{ messageId: 'tainted', line: 8 }],
      },
      {
        code: 'import aiohttp\nfrom flask import request\n\nasync def relay():\n    async with aiohttp.request("GET", request.args["feed"]) as response:\n        return await response.text()',
        errors: [{ messageId: 'tainted', line: 5, message: 'aiohttp.request' }],
      },
    ],
  },
});
