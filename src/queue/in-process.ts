import {
  pullRequestKey,
  type EnqueueOutcome,
  type QueueObserver,
  type QueueJob,
  type ScanProcessor,
  type ScanQueue,
} from './types.js';

export interface InProcessQueueOptions {
  /** Scans running at once in this process. */
  concurrency: number;
  /** Scans running at once for one installation, so one busy org cannot starve the others. */
  perInstallation: number;
  /** How many delivery ids (and heads whose check run is taken) are remembered for idempotency. */
  rememberDeliveries?: number;
  observer?: QueueObserver;
}

interface Pending<J> {
  job: J;
  enqueuedAt: number;
}

interface Running<J> {
  job: J;
  controller: AbortController;
}

/**
 * The default queue: no services needed. Coalesces by pull request (a newer head SHA replaces a
 * queued scan and cancels a running one), ignores redelivered events, and bounds concurrency
 * globally and per installation.
 */
export class InProcessScanQueue<J extends QueueJob = QueueJob> implements ScanQueue<J> {
  /** Insertion order is queue order; a coalesced job keeps its predecessor's place. */
  private readonly pending = new Map<string, Pending<J>>();
  private readonly running = new Map<string, Running<J>>();
  private readonly runningPerInstallation = new Map<number, number>();
  private readonly seenDeliveries = new Set<string>();
  private readonly claimedHeads = new Set<string>();
  private readonly claims = new Map<string, number>();
  private processor: ScanProcessor<J> | undefined;
  private closing = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: InProcessQueueOptions) {}

  enqueue(job: J): Promise<EnqueueOutcome> {
    const outcome = this.admit(job);
    this.options.observer?.enqueued?.(job, outcome);
    if (outcome === 'queued' || outcome === 'coalesced') this.pump();
    return Promise.resolve(outcome);
  }

  private admit(job: J): EnqueueOutcome {
    if (this.closing) return 'closed';
    if (this.seenDeliveries.has(job.deliveryId)) return 'duplicate-delivery';
    this.remember(this.seenDeliveries, job.deliveryId);
    const key = pullRequestKey(job);
    const running = this.running.get(key);
    if (running && running.job.headSha !== job.headSha)
      running.controller.abort(new Error(`superseded by ${job.headSha}`));
    const queued = this.pending.get(key);
    // A burst of rescans of one SHA collapses into the one already waiting.
    if (queued && queued.job.headSha === job.headSha && (!job.force || queued.job.force)) return 'already-queued';
    if (!queued && running && running.job.headSha === job.headSha && !job.force) return 'already-queued';
    if (queued) {
      this.pending.set(key, { job, enqueuedAt: queued.enqueuedAt });
      return 'coalesced';
    }
    this.pending.set(key, { job, enqueuedAt: Date.now() });
    return 'queued';
  }

  private remember(set: Set<string>, value: string): void {
    set.add(value);
    const limit = this.options.rememberDeliveries ?? 10_000;
    // Sets iterate in insertion order: drop the oldest.
    if (set.size > limit) set.delete(set.values().next().value!);
  }

  private claimHead(job: J): boolean {
    if (job.force) return true;
    const head = `${pullRequestKey(job)}@${job.headSha}`;
    if (this.claimedHeads.has(head)) return false;
    this.remember(this.claimedHeads, head);
    return true;
  }

  process(processor: ScanProcessor<J>): void {
    this.processor = processor;
    this.pump();
  }

  private pump(): void {
    if (!this.processor) return;
    for (const [key, pending] of this.pending) {
      if (this.running.size >= this.options.concurrency) return;
      // One scan per PR at a time: a cancelled scan finishes before its successor starts.
      if (this.running.has(key)) continue;
      const installation = pending.job.installationId;
      if ((this.runningPerInstallation.get(installation) ?? 0) >= this.options.perInstallation) continue;
      this.pending.delete(key);
      this.start(key, pending, this.processor);
    }
    this.notifyIfIdle();
  }

  private start(key: string, pending: Pending<J>, processor: ScanProcessor<J>): void {
    const { job } = pending;
    const controller = new AbortController();
    this.running.set(key, { job, controller });
    this.runningPerInstallation.set(job.installationId, (this.runningPerInstallation.get(job.installationId) ?? 0) + 1);
    const startedAt = Date.now();
    this.options.observer?.started?.(job, startedAt - pending.enqueuedAt);
    void (async () => {
      let outcome: 'completed' | 'cancelled' | 'failed';
      let failure: unknown;
      try {
        outcome =
          (await processor(job, {
            signal: controller.signal,
            attempt: 1,
            finalAttempt: true,
            claimHead: () => Promise.resolve(this.claimHead(job)),
            // A crash of this process loses the queue with it: there is no retry to hand the run to.
            recordCheckRun: () => Promise.resolve(),
          })) ?? 'completed';
      } catch (error) {
        outcome = controller.signal.aborted ? 'cancelled' : 'failed';
        failure = error;
      } finally {
        this.running.delete(key);
        const count = (this.runningPerInstallation.get(job.installationId) ?? 1) - 1;
        if (count === 0) this.runningPerInstallation.delete(job.installationId);
        else this.runningPerInstallation.set(job.installationId, count);
      }
      this.options.observer?.finished?.(job, outcome, Date.now() - startedAt, failure);
      this.pump();
    })();
  }

  private notifyIfIdle(): void {
    if (this.pending.size > 0 || this.running.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.pending.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  depth(): Promise<number> {
    return Promise.resolve(this.pending.size);
  }

  runningCount(): number {
    return this.running.size;
  }

  ready(): Promise<boolean> {
    return Promise.resolve(!this.closing);
  }

  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    for (const [claimed, expires] of this.claims) if (expires <= now) this.claims.delete(claimed);
    if (this.claims.has(key)) return Promise.resolve(false);
    this.claims.set(key, now + ttlMs);
    return Promise.resolve(true);
  }

  async close(): Promise<void> {
    this.closing = true;
    // Queued work is drained rather than dropped: GitHub never redelivers it.
    if (this.processor) await this.idle();
  }
}
