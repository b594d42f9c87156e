import { describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { createWardenApp } from '../../src/app/index.js';
import { QueueUnavailableError, type ScanQueue } from '../../src/queue/types.js';
import type { ScanJob } from '../../src/scan/types.js';
import { pullRequestPayload } from './harness.js';

/** A queue whose store is down: every enqueue is refused. */
const downQueue: ScanQueue<ScanJob> = {
  enqueue: () => Promise.reject(new QueueUnavailableError(new Error('Connection is closed.'))),
  process: () => undefined,
  depth: () => Promise.resolve(0),
  close: () => Promise.resolve(),
  ready: () => Promise.resolve(false),
  claimOnce: () => Promise.resolve(true),
};

describe('a webhook while the queue is down', () => {
  test('is answered 503 so that GitHub records the delivery as failed', async () => {
    const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const probot = new Probot({ appId: 1, privateKey, Octokit: ProbotOctokit, log: pino({ level: 'fatal' }, quiet) });
    await probot.load(createWardenApp({ queue: downQueue, appId: 1, rescanCooldownMs: 0 }));

    const received = probot.receive({
      name: 'pull_request',
      id: 'delivery-down',
      payload: pullRequestPayload(),
    } as never);
    await expect(received).rejects.toMatchObject({
      errors: [
        expect.objectContaining({ status: 503, message: expect.stringContaining('the scan queue is unavailable') }),
      ],
    });
  });
});
