import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { HTTP_CLIENT_MODULES, HTTPX_CALLS, HTTPX_CLIENTS, REQUESTS_CALLS } from '../support/tls-http-clients.js';
import { findReferences } from '../support/tls-references.js';

type MessageId = 'verifyFalse' | 'aiohttpSslFalse' | 'certNone' | 'checkHostname' | 'unverifiedContext';

/** aiohttp's keywords that turn certificate checks off: `ssl=False` (3.0+) and the older `verify_ssl=False`. */
const AIOHTTP_SSL_KEYWORDS = ['ssl', 'verify_ssl'];

/** Library functions that take `verify=`. */
const VERIFYING_CALLS = new Set([...REQUESTS_CALLS, ...HTTPX_CALLS, ...HTTPX_CLIENTS]);
const INSECURE_REFERENCES = new Set(['ssl.CERT_NONE', 'ssl._create_unverified_context', 'ssl.VerifyMode.CERT_NONE']);
/** urllib3 and others take the verification mode as a string. */
const CERT_REQS_NONE = new Set(['CERT_NONE', 'NONE', 'none']);

function isFalse(node: SyntaxNode | undefined, context: RuleContext<MessageId>): boolean {
  const value = context.literalValue(node);
  return value === false || value === 0;
}

export default createRule({
  id: 'tls-verification-disabled',
  meta: {
    title: 'TLS certificate verification disabled',
    category: 'network',
    cwe: [295],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B501', 'B323'], ruff: ['S501', 'S323'] },
    messages: {
      verifyFalse:
        '`{{fn}}` is called with `verify=False`: any machine on the network path can impersonate the server and read or change the traffic',
      aiohttpSslFalse:
        '`{{fn}}` is called with `{{keyword}}=False`: aiohttp skips certificate checks, so any machine on the network path can impersonate the server',
      certNone: '`{{name}}` turns off certificate checking: any machine on the network path can impersonate the server',
      checkHostname:
        '`check_hostname = False` accepts a valid certificate for any other host, so a network attacker can impersonate the server',
      unverifiedContext:
        '`ssl._create_unverified_context` makes a context that checks neither the certificate nor the host name',
    },
    docs: {
      why: "TLS protects a connection only if the client checks that the server's certificate is valid and issued for the host it meant to reach. Without that check, anyone who can intercept traffic (public Wi-Fi, a compromised router, a malicious proxy) presents their own certificate and reads or modifies everything, credentials included.",
      example: 'import requests\n\nresponse = requests.get("https://api.example.com/orders", verify=False)',
      fix: 'Leave verification on. For a private certificate authority, pass its bundle (`verify="/etc/ssl/internal-ca.pem"`, `ssl.create_default_context(cafile=...)`) instead of turning checks off.\n\n```python\nimport requests\n\nresponse = requests.get("https://api.example.com/orders")\n```',
      knownProblems:
        'The automatic fix removes a literal `verify=False` argument from `requests`/`httpx` calls, which restores the default of verifying; a server with a self-signed certificate then fails until its CA bundle is passed. Method calls on session or client objects are reported when the file imports `requests` or `httpx`. `ssl.CERT_NONE` is reported wherever it is used other than in a comparison. In files that import `aiohttp`, any call given `ssl=False` or `verify_ssl=False` is reported, since that is how aiohttp sessions, requests and `TCPConnector` turn checks off.',
      references: [
        'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
        'https://docs.python.org/3/library/ssl.html#ssl-security',
        'https://www.python-httpx.org/advanced/ssl/',
        'https://cwe.mitre.org/data/definitions/295.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (context.isModuleImported('aiohttp')) {
        const keyword = AIOHTTP_SSL_KEYWORDS.find((k) => isFalse(context.keywordArgument(node, k), context));
        if (keyword)
          context.report({
            node,
            messageId: 'aiohttpSslFalse',
            data: { fn: context.calleeName(node) ?? node.childForFieldName('function')?.text ?? 'call', keyword },
          });
      }
      const certReqs = context.keywordArgument(node, 'cert_reqs');
      const certReqsText = context.stringValue(certReqs);
      if (certReqs && certReqsText !== undefined && CERT_REQS_NONE.has(certReqsText))
        context.report({ node: certReqs, messageId: 'certNone', data: { name: `cert_reqs="${certReqsText}"` } });
      const verify = context.keywordArgument(node, 'verify');
      if (!verify || !isFalse(verify, context) || !HTTP_CLIENT_MODULES.some((m) => context.isModuleImported(m))) return;
      const qualified = context.calleeName(node);
      const fn =
        qualified && VERIFYING_CALLS.has(qualified)
          ? qualified
          : node.childForFieldName('function')?.type === 'attribute'
            ? node.childForFieldName('function')!.text
            : undefined;
      if (!fn) return;
      const fix =
        verify.type === 'false'
          ? {
              description: 'Remove `verify=False`',
              edits: [context.removeArgument(context.keywordArgumentNode(node, 'verify')!)],
            }
          : undefined;
      context.report({ node, messageId: 'verifyFalse', data: { fn }, ...(fix ? { fix } : {}) });
    },
    assignment(node, context) {
      const left = node.childForFieldName('left');
      const attribute = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
      if (
        !left ||
        (attribute !== 'check_hostname' && attribute !== 'verify') ||
        !isFalse(node.childForFieldName('right') ?? undefined, context)
      )
        return;
      if (attribute === 'check_hostname') context.report({ node, messageId: 'checkHostname' });
      else if (attribute === 'verify' && HTTP_CLIENT_MODULES.some((m) => context.isModuleImported(m)))
        context.report({ node, messageId: 'verifyFalse', data: { fn: left.text } });
    },
    module(node, context) {
      for (const { node: reference, qualified } of findReferences(node, context, INSECURE_REFERENCES)) {
        if (qualified === 'ssl._create_unverified_context')
          context.report({ node: reference, messageId: 'unverifiedContext' });
        else context.report({ node: reference, messageId: 'certNone', data: { name: qualified } });
      }
    },
  },
  tests: {
    valid: [
      'import requests\nrequests.get(url, verify="/etc/ssl/internal-ca.pem")',
      'import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = True',
      'import ssl\nif ctx.verify_mode == ssl.CERT_NONE:\n    warn()',
      'import requests\nrequests.post(url, json=body, verify=True, timeout=5)',
      'def get(url, verify):\n    pass\nget(url, verify=False)',
      'from ssl import CERT_REQUIRED\nctx.verify_mode = CERT_REQUIRED',
      'import aiohttp\nasync def f(session):\n    await session.get(url, ssl=ssl_context)',
      'import asyncio\nasync def f():\n    await asyncio.open_connection(host, 80, ssl=False)',
    ],
    invalid: [
      {
        code: 'import requests\nr = requests.get(url, verify=False, timeout=5)',
        errors: [{ messageId: 'verifyFalse', line: 2, message: '`requests.get`' }],
        output: 'import requests\nr = requests.get(url, timeout=5)',
      },
      {
        code: 'import httpx\nclient = httpx.Client(verify=False)\nsession.verify = False',
        errors: [
          { messageId: 'verifyFalse', line: 2 },
          { messageId: 'verifyFalse', line: 3, message: '`session.verify`' },
        ],
        output: 'import httpx\nclient = httpx.Client()\nsession.verify = False',
      },
      {
        code: 'import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE',
        errors: [
          { messageId: 'checkHostname', line: 3 },
          { messageId: 'certNone', line: 4, message: '`ssl.CERT_NONE`' },
        ],
      },
      {
        code: 'from ssl import CERT_NONE as NO_CHECK\nsock = wrap(s, cert_reqs=NO_CHECK)',
        errors: [{ messageId: 'certNone', line: 2 }],
      },
      {
        code: 'import urllib3\npool = urllib3.PoolManager(cert_reqs="CERT_NONE")',
        errors: [{ messageId: 'certNone', message: 'cert_reqs="CERT_NONE"' }],
      },
      {
        code: 'import ssl\nssl._create_default_https_context = ssl._create_unverified_context',
        errors: [{ messageId: 'unverifiedContext', line: 2 }],
      },
      { code: 'import ssl\nctx = ssl._create_unverified_context()', errors: [{ messageId: 'unverifiedContext' }] },
      {
        code: 'import aiohttp\nasync def fetch(session, url):\n    async with session.get(url, ssl=False) as response:\n        return await response.text()',
        errors: [{ messageId: 'aiohttpSslFalse', line: 3, message: '`session.get`' }],
      },
      {
        code: 'import aiohttp\nconnector = aiohttp.TCPConnector(verify_ssl=False)',
        errors: [{ messageId: 'aiohttpSslFalse', message: '`verify_ssl=False`' }],
      },
    ],
  },
});
