import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** GitHub caps webhook payloads at 25 MB; anything larger did not come from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export type NodeMiddleware = (request: IncomingMessage, response: ServerResponse, next?: () => void) => unknown;

export interface WebhookGuardOptions {
  /** The webhook route; other requests pass straight through. */
  path: string;
  /** The webhook secret Probot verifies with. */
  secret: string;
  log: Logger;
  maxBytes?: number;
}

/** How long a refused client may go on sending before it is cut off. */
const DISCARD_MS = 1_000;

function refuse(request: IncomingMessage, response: ServerResponse, status: number, error: string): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
  // The rest of the body is read and dropped, not kept. Closing the connection on unread data
  // would reset it, and the client could lose the answer; one that keeps sending is cut off.
  request.resume();
  setTimeout(() => request.socket.destroy(), DISCARD_MS).unref();
}

/** The body, or `undefined` once it grows past `maxBytes` (nothing more is kept then). */
function readCapped(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.off('data', onData);
        resolve(undefined);
      } else chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Compares as Probot does: the HMAC of the body decoded as UTF-8, so both always agree. */
function signatureMatches(payload: string, signature: string | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Sits in front of Probot's webhook middleware, which reads any body whole before it checks the
 * signature and logs the payload when the signature is wrong. Here a body over GitHub's cap is
 * refused from its declared length (or as soon as it grows past it) without being kept, and a
 * delivery with a wrong signature is refused with one log line that names it, never its payload.
 * Only signed deliveries reach Probot, which then reads the body kept here.
 */
export function guardWebhooks(middleware: NodeMiddleware, options: WebhookGuardOptions): NodeMiddleware {
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  return async (request, response, next) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'POST' || path !== options.path) return middleware(request, response, next);
    const delivery = { deliveryId: request.headers['x-github-delivery'], event: request.headers['x-github-event'] };
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      options.log.warn({ ...delivery, bytes: declared }, 'webhook refused: the body is over 25 MB');
      return refuse(request, response, 413, 'payload too large');
    }
    let body: Buffer | undefined;
    try {
      body = await readCapped(request, maxBytes);
    } catch (error) {
      options.log.warn({ ...delivery, err: error }, 'webhook refused: the body could not be read');
      return refuse(request, response, 400, 'unreadable body');
    }
    if (!body) {
      options.log.warn(delivery, 'webhook refused: the body grew over 25 MB');
      return refuse(request, response, 413, 'payload too large');
    }
    const payload = new TextDecoder('utf-8', { fatal: false }).decode(body);
    const signature = request.headers['x-hub-signature-256'];
    if (!signatureMatches(payload, typeof signature === 'string' ? signature : undefined, options.secret)) {
      options.log.warn(
        { ...delivery, bytes: body.length },
        'webhook refused: the signature does not match WEBHOOK_SECRET',
      );
      return refuse(request, response, 401, 'signature does not match');
    }
    // @octokit/webhooks takes a body that was already read from `rawBody`.
    Object.assign(request, { body: {}, rawBody: new Uint8Array(body.buffer, body.byteOffset, body.length) });
    return middleware(request, response, next);
  };
}
