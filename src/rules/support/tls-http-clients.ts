/**
 * The module-level request functions of `requests` and `httpx`, which the transport rules
 * inspect for TLS settings, timeouts and the URLs credentials go to.
 */
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'] as const;

export const HTTP_CLIENT_MODULES = ['requests', 'httpx'] as const;

/** `requests.get`, …, `requests.request`. */
export const REQUESTS_CALLS: ReadonlySet<string> = new Set(HTTP_VERBS.map((verb) => `requests.${verb}`));

/** `httpx.get`, …, `httpx.request`, `httpx.stream`. */
export const HTTPX_CALLS: ReadonlySet<string> = new Set([...HTTP_VERBS, 'stream'].map((verb) => `httpx.${verb}`));

/** httpx clients and transports, which take the same `verify` and `timeout` settings. */
export const HTTPX_CLIENTS: ReadonlySet<string> = new Set([
  'httpx.Client',
  'httpx.AsyncClient',
  'httpx.HTTPTransport',
  'httpx.AsyncHTTPTransport',
]);
