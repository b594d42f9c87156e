import { describe, expect, it } from '@jest/globals';
import { InProcessScanQueue } from '../../src/queue/in-process.js';
import { syncProcessor } from '../support/sync-processor.js';
import type { ScanAttempt } from '../../src/queue/types.js';
import type { ScanJob } from '../../src/scan/types.js';

let delivery = 0;
function job(pullNumber: number, headSha: string, overrides: Partial<ScanJob> = {}): ScanJob {
  return {
    deliveryId: `d${++delivery}`,
    installationId: 1,
    repo: { owner: 'acme', repo: 'api' },
    pullNumber,
    headSha,
    baseSha: 'base',
    draft: false,
    trigger: 'synchronize',
    fork: false,
    changedFiles: 1,
    ...overrides,
  };
}

/** A processor whose scans finish only when the test releases them. */
function controllable() {
  const started: { job: ScanJob; attempt: ScanAttempt; release: () => void }[] = [];
  const processor = (scan: ScanJob, attempt: ScanAttempt) =>
    new Promise<void>((resolve) => {
      started.push({ job: scan, attempt, release: resolve });
    });
  return { started, processor };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('in-process scan queue', () => {
  it('coalesces queued scans of one PR into the newest head SHA, keeping its place', async () => {
    const queue = new InProcessScanQueue<ScanJob>({ concurrency: 1, perInstallation: 1 });
    const { started, processor } = controllable();
    queue.process(processor);
    await queue.enqueue(job(1, 'a1'));
    expect(await queue.enqueue(job(2, 'b1'))).toBe('queued');
    expect(await queue.enqueue(job(3, 'c1'))).toBe('queued');
    expect(await queue.enqueue(job(2, 'b2'))).toBe('coalesced');
    expect(await queue.enqueue(job(2, 'b3'))).toBe('coalesced');
    expect(await queue.depth()).toBe(2);
    started[0].release();
    await tick();
    expect(started.map((s) => s.job.headSha)).toEqual(['a1', 'b3']);
    started[1].release();
    await tick();
    started[2].release();
    await queue.idle();
    expect(started.map((s) => s.job.headSha)).toEqual(['a1', 'b3', 'c1']);
  });

  it('cancels a running scan when a newer SHA of the same PR arrives, then runs the newer one', async () => {
    const queue = new InProcessScanQueue<ScanJob>({ concurrency: 2, perInstallation: 2 });
    const { started, processor } = controllable();
    queue.process(processor);
    await queue.enqueue(job(7, 'old'));
    await tick();
    expect(started).toHaveLength(1);
    await queue.enqueue(job(7, 'new'));
    expect(started[0].attempt.signal.aborted).toBe(true);
    // The newer scan waits for the cancelled one to stop, so two scans never race to publish.
    expect(started).toHaveLength(1);
    started[0].release();
    await tick();
    expect(started.map((s) => [s.job.headSha, s.attempt.signal.aborted])).toEqual([
      ['old', true],
      ['new', false],
    ]);
    started[1].release();
    await queue.idle();
  });

  it('ignores a redelivered event and a second request for a SHA already queued, but runs a forced rescan', async () => {
    const queue = new InProcessScanQueue<ScanJob>({ concurrency: 1, perInstallation: 1 });
    const { started, processor } = controllable();
    const first = job(3, 'abc');
    expect(await queue.enqueue(first)).toBe('queued');
    expect(await queue.enqueue({ ...first })).toBe('duplicate-delivery');
    expect(await queue.enqueue(job(3, 'abc'))).toBe('already-queued');
    queue.process(processor);
    await tick();
    expect(await queue.enqueue(job(3, 'abc'))).toBe('already-queued');
    expect(await queue.enqueue(job(3, 'abc', { force: true, trigger: 'rescan' }))).toBe('queued');
    expect(await queue.enqueue(job(3, 'abc', { force: true, trigger: 'rescan' }))).toBe('already-queued');
    started[0].release();
    await tick();
    started[1].release();
    await queue.idle();
    expect(started.map((s) => s.job.trigger)).toEqual(['synchronize', 'rescan']);
  });

  it('bounds concurrency globally and per installation', async () => {
    const queue = new InProcessScanQueue<ScanJob>({ concurrency: 3, perInstallation: 2 });
    const { started, processor } = controllable();
    queue.process(processor);
    for (let pr = 1; pr <= 4; pr++) await queue.enqueue(job(pr, `s${pr}`, { installationId: 1 }));
    await queue.enqueue(job(10, 'x', { installationId: 2 }));
    await queue.enqueue(job(11, 'y', { installationId: 2 }));
    await tick();
    expect(started.map((s) => [s.job.installationId, s.job.pullNumber])).toEqual([
      [1, 1],
      [1, 2],
      [2, 10],
    ]);
    expect(queue.runningCount()).toBe(3);
    started[0].release();
    await tick();
    expect(started.map((s) => s.job.pullNumber)).toEqual([1, 2, 10, 3]);
    for (const s of started.slice(1)) s.release();
    await tick();
    for (const s of started.slice(4)) s.release();
    await tick();
    for (const s of started.slice(5)) s.release();
    await queue.idle();
    expect(started.map((s) => s.job.pullNumber).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 10, 11]);
  });

  it('drains queued work on close and refuses new work meanwhile', async () => {
    const queue = new InProcessScanQueue<ScanJob>({ concurrency: 1, perInstallation: 1 });
    const done: string[] = [];
    queue.process(async (scan) => {
      await tick();
      done.push(scan.headSha);
    });
    await queue.enqueue(job(1, 'a'));
    await queue.enqueue(job(2, 'b'));
    const closing = queue.close();
    expect(await queue.enqueue(job(3, 'c'))).toBe('closed');
    await closing;
    expect(done).toEqual(['a', 'b']);
    expect(await queue.ready()).toBe(false);
  });

  it('keeps running after a scan throws, and reports the failure to the observer', async () => {
    const outcomes: string[] = [];
    const queue = new InProcessScanQueue<ScanJob>({
      concurrency: 1,
      perInstallation: 1,
      observer: { finished: (_job, outcome) => outcomes.push(outcome) },
    });
    queue.process(
      syncProcessor((scan) => {
        if (scan.headSha === 'boom') throw new Error('GitHub said 500');
      }),
    );
    await queue.enqueue(job(1, 'boom'));
    await queue.enqueue(job(2, 'fine'));
    await queue.idle();
    expect(outcomes).toEqual(['failed', 'completed']);
  });
});
