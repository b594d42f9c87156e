/** How a failed scan should be retried, judged from the error GitHub (or the network) gave. */

interface HttpLikeError {
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
