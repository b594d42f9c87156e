/** How a failed scan should be retried, judged from the error GitHub (or the network) gave. */
import { rateLimitDelayMs, type HttpLikeError } from '../github/rate-limits.js';

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
