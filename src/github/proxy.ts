import type { RequestInit as UndiciRequestInit } from 'undici';

/** What `fetch` takes and gives, as Octokit's `request.fetch` option types it. */
export type Fetch = typeof globalThis.fetch;

/** Whether the environment names a proxy for GitHub's HTTPS (or plain HTTP) endpoint, in either case. */
export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return [env.https_proxy, env.HTTPS_PROXY, env.http_proxy, env.HTTP_PROXY].some((value) => Boolean(value?.trim()));
}

/**
 * A `fetch` that honours `HTTPS_PROXY` / `HTTP_PROXY` and `NO_PROXY` (lower-case names first, as
 * curl reads them), which Node's own fetch ignores: undici's `EnvHttpProxyAgent` tunnels each
 * request through the proxy unless `NO_PROXY` names its host. undici loads on the first call
 * only: it takes longer to load than what most callers need of the network.
 */
export async function proxyAwareFetch(env: NodeJS.ProcessEnv): Promise<Fetch> {
  const { EnvHttpProxyAgent, fetch: undiciFetch } = await import('undici');
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    // Empty, not missing: `env` decides, and an unset HTTPS proxy falls back to the HTTP one.
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
  });
  const proxied = (url: string, init: UndiciRequestInit) => undiciFetch(url, { ...init, dispatcher });
  return proxied as unknown as Fetch;
}
