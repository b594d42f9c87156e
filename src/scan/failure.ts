import { escapeMarkdown } from '../report/markdown.js';

interface HttpError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function isRateLimit(error: HttpError): boolean {
  if (error.status === 429) return true;
  if (error.status !== 403) return false;
  const headers = error.response?.headers ?? {};
  return (
    /rate limit/i.test(error.message ?? '') ||
    headers['retry-after'] !== undefined ||
    headers['x-ratelimit-remaining'] === '0'
  );
}

/** The neutral check run's title and summary when a scan could not finish. */
export function failureExplanation(error: unknown, stage: string): { title: string; summary: string } {
  const httpError = error as HttpError;
  const detail = escapeMarkdown((httpError.message ?? String(error)).split('\n')[0].slice(0, 500));
  if (isRateLimit(httpError)) {
    const retryAfter = httpError.response?.headers?.['retry-after'];
    const wait = retryAfter !== undefined ? ` GitHub asked to wait ${retryAfter} s.` : '';
    return {
      title: 'Scan stopped by a GitHub rate limit',
      summary: `GitHub rate-limited Warden while ${stage}, so this commit was not scanned.${wait} Press **Rescan** to try again.\n\n> ${detail}`,
    };
  }
  const status = httpError.status !== undefined ? ` (HTTP ${httpError.status})` : '';
  return {
    title: 'Scan could not finish',
    summary: `Warden hit an error while ${stage}${status}, so this commit was not scanned. Press **Rescan** to try again.\n\n> ${detail}`,
  };
}
