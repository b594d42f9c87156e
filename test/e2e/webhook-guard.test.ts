import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startHarness, type Harness } from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const HEADERS = {
  'content-type': 'application/json',
  'x-github-event': 'issue_comment',
  'x-github-delivery': 'forged-1',
  'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
};

/**
 * Posts to the webhook route and resolves with the status as soon as the app answers, whether or
 * not the body was sent whole (`send` writes it; writes after the app hung up are ignored).
 */
function post(headers: Record<string, string>, send: (write: (chunk: Buffer) => boolean) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(harness.app.webhookUrl);
    const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers });
    outgoing.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', (error) => reject(error));
    send((chunk) => outgoing.write(chunk));
  });
}

async function logSettled(): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return harness.app.log();
}

describe('webhook deliveries that did not come from GitHub', () => {
  test('a body declared over 25 MB is refused before it is sent', async () => {
    const status = await post({ ...HEADERS, 'content-length': String(200 * 1024 * 1024) }, (write) => {
      write(Buffer.from('{"action":"created",'));
    });
    expect(status).toBe(413);
  });

  test('a chunked body is refused as soon as it grows past 25 MB', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    const status = await post({ ...HEADERS, 'transfer-encoding': 'chunked' }, (write) => {
      let sent = 0;
      const more = () => {
        // Up to 30 MB, unless the app answered first.
        while (sent < 30) {
          sent++;
          if (!write(chunk)) return void setImmediate(more);
        }
      };
      more();
    });
    expect(status).toBe(413);
  });

  test('a wrong signature is refused, and the payload never reaches the log', async () => {
    const payload = JSON.stringify({ action: 'created', comment: { body: `FORGED-PAYLOAD-${'x'.repeat(100_000)}` } });
    const status = await post({ ...HEADERS, 'content-length': String(Buffer.byteLength(payload)) }, (write) => {
      write(Buffer.from(payload));
    });
    expect(status).toBe(401);
    const log = await logSettled();
    expect(log).toContain('the signature does not match WEBHOOK_SECRET');
    expect(log).not.toContain('FORGED-PAYLOAD');
  });
});
