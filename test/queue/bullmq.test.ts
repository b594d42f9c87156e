import { afterEach, describe, expect, it } from '@jest/globals';
import { BullMqScanQueue } from '../../src/queue/bullmq.js';
import { QueueUnavailableError, RetryableScanError, ScanFailedError, type ScanAttempt } from '../../src/queue/types.js';
import type { ScanJob } from '../../src/scan/types.js';
import { isTransient, rateLimitDelayMs } from '../../src/github/rate-limits.js';
import { syncProcessor } from '../support/sync-processor.js';
import { until } from '../support/until.js';

/**
 * Runs against the real Redis named by REDIS_URL (`.ci/run` starts one). Without REDIS_URL the
 * suite is skipped with a notice; with it, an unreachable Redis fails the suite.
 */
const url = process.env.REDIS_URL;
const suite = url ? describe : describe.skip;
if (!url) console.warn('REDIS_URL is not set: skipping the BullMQ queue tests');

let counter = 0;
function job(pullNumber: number, headSha: string, overrides: Partial<ScanJob> = {}): ScanJob {
  return {
    deliveryId: `delivery-${Date.now()}-${++counter}`,
    installationId: 1,
    repo: { owner: 'acme', repo: 'api' },
    pullNumber,
    headSha,
    baseSha: 'base',
    draft: false,
    trigger: 'opened',
    fork: false,
    changedFiles: 1,
    ...overrides,
  };
}

const queues: BullMqScanQueue<ScanJob>[] = [];
const retryPolicy = { isTransient, delayMs: rateLimitDelayMs };
function makeQueue(options: Partial<ConstructorParameters<typeof BullMqScanQueue>[0]> = {}) {
  const queue = new BullMqScanQueue<ScanJob>({
    url: url!,
    concurrency: 2,
    prefix: `warden-test-${process.pid}-${++counter}`,
    backoffMs: 50,
    supersedePollMs: 50,
    retryPolicy,
    ...options,
  });
  queues.push(queue);
  return queue;
}

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

suite('BullMQ scan queue (real Redis)', () => {
  it('is ready, scans a job, and refuses a redelivery and a duplicate PR+SHA', async () => {
    const queue = makeQueue();
    expect(await queue.ready()).toBe(true);
    const scanned: string[] = [];
    queue.process(
      syncProcessor((scan) => {
        scanned.push(`${scan.pullNumber}@${scan.headSha}`);
      }),
    );
    const first = job(1, 'aaa');
    expect(await queue.enqueue(first)).toBe('queued');
    expect(await queue.enqueue({ ...first })).toBe('duplicate-delivery');
    expect(await queue.enqueue(job(1, 'aaa'))).toBe('already-queued');
    await until(() => scanned.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(scanned).toEqual(['1@aaa']);
  });

  it('skips a queued scan whose SHA was superseded and cancels a running one', async () => {
    const queue = makeQueue({ concurrency: 1 });
    const attempts: { sha: string; attempt: ScanAttempt }[] = [];
    let releaseFirst: () => void = () => undefined;
    queue.process(
      (scan, attempt) =>
        new Promise<void>((resolve) => {
          attempts.push({ sha: scan.headSha, attempt });
          if (scan.headSha === 'v1') releaseFirst = resolve;
          else resolve();
        }),
    );
    await queue.enqueue(job(5, 'v1'));
    await until(() => attempts.length === 1);
    await queue.enqueue(job(5, 'v2'));
    await queue.enqueue(job(5, 'v3'));
    await until(() => attempts[0].attempt.signal.aborted);
    releaseFirst();
    await until(() => attempts.length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(attempts.map((a) => a.sha)).toEqual(['v1', 'v3']);
  });

  it('retries a transient failure with backoff and tells the last attempt it is the last', async () => {
    const queue = makeQueue({ attempts: 3 });
    const seen: [number, boolean][] = [];
    queue.process(
      syncProcessor((_scan, attempt) => {
        seen.push([attempt.attempt, attempt.finalAttempt]);
        if (attempt.attempt < 3) throw Object.assign(new Error('Server Error'), { status: 502 });
      }),
    );
    await queue.enqueue(job(9, 'r1'));
    await until(() => seen.length === 3);
    expect(seen).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
  });

  it('requeues a secondary rate limit after retry-after without spending an attempt', async () => {
    const queue = makeQueue({ attempts: 1 });
    const times: number[] = [];
    queue.process(
      syncProcessor(() => {
        times.push(Date.now());
        if (times.length === 1)
          throw Object.assign(new Error('You have exceeded a secondary rate limit'), {
            status: 403,
            response: { headers: { 'retry-after': '1' } },
          });
      }),
    );
    await queue.enqueue(job(11, 'rl'));
    await until(() => times.length === 2, 15_000);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(900);
  });

  it('fails a permanent error at once and keeps it visible', async () => {
    const queue = makeQueue({ attempts: 3 });
    let calls = 0;
    queue.process(
      syncProcessor(() => {
        calls++;
        throw Object.assign(new Error('Not Found'), { status: 404 });
      }),
    );
    await queue.enqueue(job(12, 'nf'));
    const deadline = Date.now() + 10_000;
    while ((await queue.failedCount()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await queue.failedCount()).toBe(1);
    expect(calls).toBe(1);
  });

  it('drains the scan in flight on close', async () => {
    const queue = makeQueue();
    let finished = false;
    let started = false;
    queue.process(async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await queue.enqueue(job(13, 'dr'));
    await until(() => started);
    await queue.close();
    queues.splice(queues.indexOf(queue), 1);
    expect(finished).toBe(true);
  });
});

suite('BullMQ retries keep their state (real Redis)', () => {
  it('hands a retry what the failed attempt recorded, such as its check run', async () => {
    const queue = makeQueue({ attempts: 2 });
    const seen: (number | undefined)[] = [];
    queue.process(
      syncProcessor((scan, attempt) => {
        seen.push(scan.checkRunId);
        if (attempt.attempt === 1)
          throw new RetryableScanError(Object.assign(new Error('Bad Gateway'), { status: 502 }), { checkRunId: 77 });
      }),
    );
    await queue.enqueue(job(14, 'cr'));
    await until(() => seen.length === 2);
    expect(seen).toEqual([undefined, 77]);
  });
});

suite('BullMQ: one check run per head (real Redis)', () => {
  it("lets only one job open a head's check run, keeps it for that job's retries, and gives a rescan its own", async () => {
    const queue = makeQueue({ attempts: 2, concurrency: 3 });
    const claims: { job: string; attempt: number; claimed: boolean }[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    queue.process(async (scan, attempt) => {
      const name = scan.force ? 'rescan' : scan.followUp ? 'follow-up' : 'own';
      // Both jobs of the head start before either claims, as two workers would.
      await gate;
      claims.push({ job: name, attempt: attempt.attempt, claimed: await attempt.claimHead() });
      if (name === 'own' && attempt.attempt === 1) throw Object.assign(new Error('Bad Gateway'), { status: 502 });
    });
    expect(await queue.enqueue(job(21, 'h1'))).toBe('queued');
    expect(await queue.enqueue(job(21, 'h1', { followUp: true, trigger: 'superseded' }))).toBe('queued');
    await new Promise((r) => setTimeout(r, 300));
    release();
    await until(() => claims.length === 3);
    expect(await queue.enqueue(job(21, 'h1', { force: true, trigger: 'rescan' }))).toBe('queued');
    await until(() => claims.length === 4);
    const owner = claims.find((claim) => claim.attempt === 1 && claim.claimed)!.job;
    expect(claims.filter((claim) => claim.claimed && claim.job !== 'rescan').every((c) => c.job === owner)).toBe(true);
    expect(claims.filter((claim) => claim.attempt === 1 && claim.job !== 'rescan' && claim.claimed)).toHaveLength(1);
    // The retry of the own job claims again: true only if the own job was the owner.
    expect(claims.find((claim) => claim.attempt === 2)!.claimed).toBe(owner === 'own');
    expect(claims.find((claim) => claim.job === 'rescan')!.claimed).toBe(true);
  });

  it('counts a scan that failed for good as failed, without retrying it', async () => {
    const outcomes: string[] = [];
    const queue = makeQueue({ attempts: 3, observer: { finished: (_job, outcome) => void outcomes.push(outcome) } });
    let calls = 0;
    queue.process(
      syncProcessor(() => {
        calls++;
        throw new ScanFailedError('the files could not be listed (timeout)');
      }),
    );
    await queue.enqueue(job(22, 'f1'));
    await until(() => outcomes.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(outcomes).toEqual(['failed']);
    expect(calls).toBe(1);
  });
});

suite('BullMQ: a worker that crashes mid-scan (real Redis)', () => {
  it('hands the check run the crashed attempt opened to the worker that retries the job', async () => {
    const prefix = `warden-test-${process.pid}-crash-${++counter}`;
    const crashing = makeQueue({ prefix, lockDurationMs: 1000 });
    let opened = false;
    let endTheDeadScan: () => void = () => undefined;
    crashing.process(async (_scan, attempt) => {
      await attempt.recordCheckRun(4242);
      opened = true;
      // The process dies here: the scan never finishes (until the test is over) and the lock is never renewed.
      await new Promise<void>((resolve) => (endTheDeadScan = resolve));
    });
    await crashing.enqueue(job(23, 'c1'));
    await until(() => opened);
    // As if the process died: the worker stops without finishing or releasing the job.
    await (crashing as unknown as { worker: { close(force: boolean): Promise<void> } }).worker.close(true);

    const retrying = makeQueue({ prefix, lockDurationMs: 1000 });
    const seen: (number | undefined)[] = [];
    retrying.process(
      syncProcessor((scan) => {
        seen.push(scan.checkRunId);
      }),
    );
    await until(() => seen.length === 1, 20_000);
    endTheDeadScan();
    expect(seen).toEqual([4242]);
  });
});

describe('BullMQ with Redis down', () => {
  it('refuses a job in bounded time, is not ready within a second, and closes', async () => {
    // Nothing listens on port 1: every connection attempt is refused, as with a Redis that is down.
    const queue = new BullMqScanQueue<ScanJob>({
      url: 'redis://127.0.0.1:1',
      concurrency: 1,
      drainTimeoutMs: 1_000,
      retryPolicy,
    });

    const askedAt = Date.now();
    expect(await queue.ready()).toBe(false);
    // The issue's own bound: /readyz answers within 1 s.
    expect(Date.now() - askedAt).toBeLessThan(1_000);
    await expect(queue.enqueue(job(30, 'down'))).rejects.toBeInstanceOf(QueueUnavailableError);
    await queue.close();
  }, 20_000);
});
