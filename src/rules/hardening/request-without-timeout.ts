import { createRule } from '../create-rule.js';
import { HTTP_CLIENT_MODULES, HTTPX_CALLS, HTTPX_CLIENTS, REQUESTS_CALLS } from '../support/tls-http-clients.js';

export default createRule({
  id: 'request-without-timeout',
  meta: {
    title: 'HTTP request without a timeout',
    category: 'hardening',
    cwe: [400, 1088],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B113'], ruff: ['S113'] },
    messages: {
      missing:
        '`{{fn}}` has no `timeout`; requests waits forever on a server that stops answering, tying up the worker',
      disabled: '`{{fn}}` is called with `timeout=None`, which waits forever on a server that stops answering',
    },
    docs: {
      why: '`requests` never times out unless told to. A slow or malicious server (or one reached through a user-supplied URL) can hold the connection open indefinitely; each such request pins a worker thread or process, and a handful of them take the service down.',
      example: 'import requests\n\ndef fetch_avatar(url):\n    return requests.get(url).content',
      fix: 'Pass an explicit `timeout` (seconds, or a `(connect, read)` tuple) to every call, sized to what the caller can afford to wait.\n\n```python\nimport requests\n\ndef fetch_avatar(url):\n    return requests.get(url, timeout=(3.05, 10)).content\n```',
      knownProblems:
        'Only module-level calls (`requests.get`, `httpx.post`, `httpx.Client(...)`) are checked; calls through a `Session` object are not, since a session may be configured with a timeout elsewhere. A call that passes `**kwargs` is assumed to carry a timeout. No fix is offered: the right timeout depends on the endpoint.',
      references: [
        'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
        'https://www.python-httpx.org/advanced/timeouts/',
        'https://cwe.mitre.org/data/definitions/400.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!HTTP_CLIENT_MODULES.some((m) => context.isModuleImported(m))) return;
      const fn = context.calleeName(node);
      if (!fn) return;
      // requests has no default timeout at all; httpx defaults to five seconds, so only `timeout=None` hurts there.
      const isRequests = REQUESTS_CALLS.has(fn);
      if (!isRequests && !HTTPX_CALLS.has(fn) && !HTTPX_CLIENTS.has(fn)) return;
      const timeout = context.keywordArgument(node, 'timeout');
      if (timeout) {
        if (timeout.type === 'none') context.report({ node, messageId: 'disabled', data: { fn } });
        return;
      }
      if (isRequests && !context.hasUnpackedArguments(node))
        context.report({ node, messageId: 'missing', data: { fn } });
    },
  },
  tests: {
    valid: [
      'import requests\nrequests.get(url, timeout=10)',
      'import httpx\nhttpx.get(url)',
      'import requests\nrequests.post(url, json=body, **options)',
      'import requests\nsession = requests.Session()\nsession.get(url)',
      'import requests\nrequests.get(url, timeout=(3, 27))',
    ],
    invalid: [
      {
        code: 'import requests\nrequests.get(url)',
        errors: [{ messageId: 'missing', line: 2, message: '`requests.get`' }],
      },
      {
        code: 'from requests import post as send\nsend(url, data=payload)',
        errors: [{ messageId: 'missing', message: '`requests.post`' }],
      },
      { code: 'import requests\nrequests.request("GET", url, timeout=None)', errors: [{ messageId: 'disabled' }] },
      {
        code: 'import httpx\nclient = httpx.Client(timeout=None)',
        errors: [{ messageId: 'disabled', message: '`httpx.Client`' }],
      },
    ],
  },
});
