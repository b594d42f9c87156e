import { connect } from 'node:net';
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
 * not the body was sent whole (`send` writes it; writes after the app hung up are ignored). A raw
 * socket, so that a declared length need not be sent and no HTTP interceptor of another test file
 * stands in between.
 */
function post(headers: Record<string, string>, send: (write: (chunk: Buffer) => boolean) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(harness.app.webhookUrl);
    const socket = connect(Number(url.port), url.hostname);
    const chunked = headers['transfer-encoding'] === 'chunked';
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The app may hang up while the rest of a refused body is still being written.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    socket.once('data', (data) => {
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1] ?? 0));
      socket.destroy();
    });
    const head = Object.entries({ host: url.host, ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`POST ${url.pathname} HTTP/1.1\r\n${head.join('')}\r\n`);
    send((chunk) =>
      socket.destroyed
        ? true
        : socket.write(
            chunked
              ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
              : chunk,
          ),
    );
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
          if (!write(chunk)) return void setTimeout(more, 1);
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
