import { describe, expect, it } from '@jest/globals';
import { isTransient, rateLimitDelayMs } from '../../src/github/rate-limits.js';

const httpError = (status: number, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, response: { headers } });

describe('retry classification', () => {
  it('waits for retry-after on a secondary rate limit', () => {
    expect(rateLimitDelayMs(httpError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '30' }))).toBe(
      30_000,
    );
    expect(rateLimitDelayMs(httpError(429, 'Too many requests'))).toBe(60_000);
  });

  it('waits until the reset time when the primary limit is spent', () => {
    const now = 1_700_000_000_000;
    expect(
      rateLimitDelayMs(
        httpError(403, 'API rate limit exceeded', {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(now / 1000 + 90),
        }),
        now,
      ),
    ).toBe(90_000);
  });

  it('treats a plain 403 as a permission error, not a rate limit', () => {
    expect(
      rateLimitDelayMs(httpError(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4999' })),
    ).toBeUndefined();
    expect(isTransient(httpError(403, 'Resource not accessible by integration'))).toBe(false);
  });

  it('retries server errors and dropped connections but not client errors', () => {
    expect(isTransient(httpError(502, 'Bad Gateway'))).toBe(true);
    expect(isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(httpError(422, 'Unprocessable Entity'))).toBe(false);
    expect(isTransient(httpError(404, 'Not Found'))).toBe(false);
  });
});
