/** GitHub's rate limits and transient failures, read from the errors it answers with; rate limits honoured for writes. */
import type { HookableOctokit } from './client.js';

export interface HttpLikeError {
  status?: number;
  message?: string;
  code?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

function header(error: HttpLikeError, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/**
 * For a primary or secondary rate limit (403/429), how long to wait before trying again:
 * `retry-after` when GitHub sends it, else until `x-ratelimit-reset`, else at least a minute.
 */
export function rateLimitDelayMs(error: unknown, now = Date.now()): number | undefined {
  const e = error as HttpLikeError;
  if (e?.status !== 403 && e?.status !== 429) return undefined;
  const retryAfter = header(e, 'retry-after');
  const remaining = header(e, 'x-ratelimit-remaining');
  const secondary = /secondary rate limit|abuse/i.test(e.message ?? '');
  if (e.status === 403 && retryAfter === undefined && remaining !== '0' && !secondary) return undefined; // a plain permission error
  if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) return Math.max(1000, Number(retryAfter) * 1000);
  const reset = header(e, 'x-ratelimit-reset');
  if (remaining === '0' && reset !== undefined) return Math.max(1000, Number(reset) * 1000 - now);
  return DEFAULT_RATE_LIMIT_WAIT_MS;
}

export interface WriteRetryOptions {
  /** A wait GitHub asks for beyond this is not sat out here: the caller requeues the work instead. */
  maxWaitMs?: number;
  /** Times one request is sent again. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** REST calls other than GET and HEAD, and GraphQL mutations; a GraphQL query is a read sent by POST. */
function isWrite(request: { method: string; url?: string; query?: unknown }): boolean {
  if (request.url === '/graphql') return typeof request.query === 'string' && /^\s*mutation\b/.test(request.query);
  return request.method !== 'GET' && request.method !== 'HEAD';
}

/**
 * Sends a write that GitHub refused for a rate limit (a secondary limit on a review POST, say)
 * again after the `retry-after` it asked for, a few times, when the wait is short. Probot's
 * throttling only logs secondary limits, and the benchmarks switch it off altogether.
 */
export function retryRateLimitedWrites(octokit: HookableOctokit, options: WriteRetryOptions = {}): void {
  const { maxWaitMs = 60_000, retries = 2 } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let retry = 0; ; retry++) {
      try {
        return await request(requestOptions as never);
      } catch (error) {
        const delay = rateLimitDelayMs(error);
        if (!isWrite(requestOptions) || retry >= retries || delay === undefined || delay > maxWaitMs) throw error;
        await sleep(delay);
      }
    }
  });
}

/** Server errors, timeouts and dropped connections are worth another attempt; a 404 or 422 is not. */
export function isTransient(error: unknown): boolean {
  const e = error as HttpLikeError;
  if (rateLimitDelayMs(error) !== undefined) return true;
  if (typeof e?.status === 'number') return e.status >= 500 || e.status === 408;
  return (
    [
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EAI_AGAIN',
      'EPIPE',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
    ].includes(e?.code ?? '') || /fetch failed|socket hang up|timeout/i.test(e?.message ?? '')
  );
}
