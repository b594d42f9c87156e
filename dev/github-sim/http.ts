import type { IncomingHttpHeaders } from 'node:http';
import type { SimUser } from './entities.js';

/** An error in GitHub's shape: `{ message, errors, documentation_url, status }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: unknown[] = [],
    readonly documentationUrl = 'https://docs.github.com/rest',
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJson(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      message: this.message,
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
    if (this.errors.length > 0) json.errors = this.errors;
    return json;
  }
}

export function unprocessable(message: string, errors: unknown[] = []): ApiError {
  return new ApiError(422, message, errors);
}

export function notFound(): ApiError {
  return new ApiError(404, 'Not Found');
}

export interface ApiRequest {
  method: string;
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The installation's bot, or undefined for app (JWT) requests. */
  actor: SimUser | undefined;
  installationId: number | undefined;
  /** The full URL as the client sent it, for Link headers. */
  url: URL;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON (raw media types). */
  raw?: Buffer;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ApiResponse {
  return { status, body, headers };
}

/** GitHub's page-based pagination with a `Link` header; `cap` is the most items GitHub will list at all. */
export function paginate<T>(request: ApiRequest, items: readonly T[], cap = Infinity): ApiResponse {
  const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
  const listed = items.slice(0, cap);
  const lastPage = Math.max(Math.ceil(listed.length / perPage), 1);
  const pageUrl = (number: number): string => {
    const url = new URL(request.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(number));
    return url.toString();
  };
  const links: string[] = [];
  if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`);
  return json(
    listed.slice((page - 1) * perPage, page * perPage),
    200,
    links.length > 0 ? { link: links.join(', ') } : {},
  );
}
