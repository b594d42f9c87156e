import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  pullRequestKey,
  QueueUnavailableError,
  RetryableScanError,
  ScanFailedError,
  type EnqueueOutcome,
  type QueueObserver,
  type QueueJob,
  type RetryPolicy,
  type ScanProcessor,
  type ScanQueue,
} from './types.js';

export interface BullMqQueueOptions {
  url: string;
  /** Scans a worker process runs at once. */
  concurrency: number;
  /** Key prefix, so several deployments (or test runs) can share one Redis. */
  prefix?: string;
  /** Attempts per scan for transient failures, with exponential backoff. */
  attempts?: number;
  backoffMs?: number;
  /** How often a running scan checks whether a newer SHA superseded it. */
  supersedePollMs?: number;
  /**
   * How long a worker holds a job without renewing its lock; after that (the worker crashed) the
   * job is stalled and another worker retries it. BullMQ's default is 30 s.
   */
  lockDurationMs?: number;
  /** How long close() waits for the scans in flight before it lets go of them. */
  drainTimeoutMs?: number;
  observer?: QueueObserver;
  /** Which failures are retried, and after how long. */
  retryPolicy: RetryPolicy;
}

const QUEUE_NAME = 'warden-scans';
/** The longest a Redis command may take before the caller hears that the queue is unavailable. */
const COMMAND_TIMEOUT_MS = 5_000;
/** /readyz must answer within a second. */
const READY_TIMEOUT_MS = 500;
/** Default time SIGTERM gives the scans in flight; an unfinished one is retried by another worker. */
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
const DELIVERY_TTL_S = 24 * 60 * 60;
/** A scan delayed by rate limits this many times fails for good instead of waiting forever. */
const MAX_RATE_LIMIT_DELAYS = 5;

/** What the queue keeps beside each job in Redis. */
interface Bookkeeping {
  enqueuedAt: number;
  rateLimitDelays?: number;
}

type StoredJob<J> = J & Bookkeeping;

/** The job as it was enqueued, without the queue's own fields. */
function enqueuedJob<J extends QueueJob>(stored: StoredJob<J>): J {
  const { enqueuedAt: _enqueuedAt, rateLimitDelays: _rateLimitDelays, ...job } = stored;
  // A job never has the bookkeeping fields (they are the queue's), so what remains is the job.
  return job as unknown as J;
}

function headKey(job: QueueJob): string {
  return `${pullRequestKey(job)}@${job.headSha}`;
}

/** BullMQ refuses `:` in custom ids; everything else in owner/repo#n@sha is fine. */
function jobIdFor(job: QueueJob): string {
  const base = headKey(job);
  const id = job.force ? `${base}@rescan-${job.deliveryId}` : job.followUp ? `${base}@follow-up` : base;
  return id.replace(/:/g, '_');
}

/**
 * Distributed mode: webhook receivers enqueue, any number of workers scan. Job ids
 * (repo, PR, head SHA) make duplicate scans impossible; delivery ids are remembered in Redis;
 * the newest SHA per PR is kept in Redis so that stale jobs skip and running ones cancel.
 */
export class BullMqScanQueue<J extends QueueJob = QueueJob> implements ScanQueue<J> {
  private readonly connection: Redis;
  private readonly queue: Queue<StoredJob<J>, void, string, StoredJob<J>, void, string>;
  private worker: Worker<StoredJob<J>, void, string> | undefined;
  private workerConnection: Redis | undefined;
  private readonly prefix: string;
  private closing = false;

  constructor(private readonly options: BullMqQueueOptions) {
    this.prefix = options.prefix ?? 'warden';
    // Commands fail fast while Redis is away, so a webhook gets its 503 in bounded time (GitHub
    // gives up on an answer after 10 s, and Probot answers 202 after 9); ioredis keeps reconnecting.
    this.connection = new Redis(options.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
    });
    this.connection.on('error', () => {
      // Connection errors surface through ready() and failed commands; without a listener ioredis would crash the process.
    });
    this.queue = new Queue<StoredJob<J>, void, string, StoredJob<J>, void, string>(QUEUE_NAME, {
      connection: this.connection,
      prefix: this.prefix,
    });
  }

  private latestKey(job: J): string {
    return `${this.prefix}:latest:${pullRequestKey(job)}`;
  }

  /**
   * One check run per head, whichever worker gets there first: the head's own job, a follow-up
   * that another scan asked for, or a retry of either. The claim holds the id of the job that
   * owns the run, so that job's retries keep it. Forced rescans open a run of their own.
   */
  private async claimHead(job: J, jobId: string): Promise<boolean> {
    if (job.force) return true;
    const key = `${this.prefix}:head-run:${headKey(job)}`;
    if ((await this.connection.set(key, jobId, 'EX', DELIVERY_TTL_S, 'NX')) === 'OK') return true;
    return (await this.connection.get(key)) === jobId;
  }

  async enqueue(job: J): Promise<EnqueueOutcome> {
    const outcome = await this.admit(job);
    this.options.observer?.enqueued?.(job, outcome);
    return outcome;
  }

  private async admit(job: J): Promise<EnqueueOutcome> {
    if (this.closing) return 'closed';
    const deliveryKey = `${this.prefix}:delivery:${job.deliveryId}`;
    try {
      await this.connected(COMMAND_TIMEOUT_MS);
      if ((await this.connection.exists(deliveryKey)) === 1) return 'duplicate-delivery';
      // Before the job exists, so a worker that starts it at once sees it as the newest.
      await this.connection.set(this.latestKey(job), job.headSha, 'EX', DELIVERY_TTL_S);
      const jobId = jobIdFor(job);
      const existing = await this.queue.getJob(jobId);
      let outcome: EnqueueOutcome = 'already-queued';
      if (!existing || (await existing.isFailed())) {
        if (existing) await existing.remove();
        await this.queue.add(
          'scan',
          { ...job, enqueuedAt: Date.now() },
          {
            jobId,
            attempts: this.options.attempts ?? 4,
            backoff: { type: 'exponential', delay: this.options.backoffMs ?? 5000 },
            // Completed ids linger a day so a late duplicate is still recognised; failures stay for inspection.
            removeOnComplete: { age: DELIVERY_TTL_S },
            removeOnFail: { age: 7 * DELIVERY_TTL_S },
          },
        );
        outcome = 'queued';
      }
      // Remembered once the job is safe: a delivery refused while Redis was away is welcome when redelivered.
      await this.connection.set(deliveryKey, '1', 'EX', DELIVERY_TTL_S);
      return outcome;
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
  }

  process(processor: ScanProcessor<J>): void {
    // Workers block on Redis: BullMQ requires maxRetriesPerRequest: null and no command timeout for them.
    this.workerConnection = this.connection.duplicate({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    this.workerConnection.on('error', () => {
      // Reconnected by ioredis; the worker resumes when Redis is back.
    });
    this.worker = new Worker<StoredJob<J>, void, string>(
      QUEUE_NAME,
      (bullJob, token) => this.run(bullJob, token, processor),
      {
        connection: this.workerConnection,
        prefix: this.prefix,
        concurrency: this.options.concurrency,
        ...(this.options.lockDurationMs
          ? { lockDuration: this.options.lockDurationMs, stalledInterval: this.options.lockDurationMs }
          : {}),
      },
    );
    this.worker.on('error', () => {
      // Redis hiccups are retried by BullMQ; the listener keeps them from becoming uncaught.
    });
  }

  private async run(
    bullJob: Job<StoredJob<J>, void, string>,
    token: string | undefined,
    processor: ScanProcessor<J>,
  ): Promise<void> {
    const { enqueuedAt, rateLimitDelays = 0 } = bullJob.data;
    const job = enqueuedJob(bullJob.data);
    const startedAt = Date.now();
    const observer = this.options.observer;
    const latest = await this.connection.get(this.latestKey(job));
    if (latest && latest !== job.headSha) {
      observer?.finished?.(job, 'cancelled', 0);
      return;
    }
    observer?.started?.(job, startedAt - enqueuedAt);
    const controller = new AbortController();
    const poll = setInterval(() => {
      this.connection.get(this.latestKey(job)).then(
        (current) => {
          if (current && current !== job.headSha) controller.abort(new Error(`superseded by ${current}`));
        },
        () => undefined,
      );
    }, this.options.supersedePollMs ?? 1000);
    const attempt = bullJob.attemptsMade + 1;
    const finalAttempt = attempt >= (bullJob.opts.attempts ?? 1);
    try {
      const outcome =
        (await processor(job, {
          signal: controller.signal,
          attempt,
          finalAttempt,
          claimHead: () => this.claimHead(job, bullJob.id!),
          recordCheckRun: (checkRunId) => bullJob.updateData({ ...bullJob.data, checkRunId }),
        })) ?? 'completed';
      observer?.finished?.(job, outcome, Date.now() - startedAt);
    } catch (thrown) {
      let error = thrown;
      if (thrown instanceof RetryableScanError) {
        await bullJob.updateData({ ...bullJob.data, ...thrown.jobUpdate });
        error = thrown.cause;
      }
      if (thrown instanceof ScanFailedError) {
        observer?.finished?.(job, 'failed', Date.now() - startedAt, error);
        throw new UnrecoverableError(thrown.message);
      }
      if (controller.signal.aborted) {
        observer?.finished?.(job, 'cancelled', Date.now() - startedAt, error);
        return;
      }
      const delay = this.options.retryPolicy.delayMs(error);
      if (delay !== undefined && rateLimitDelays < MAX_RATE_LIMIT_DELAYS && token) {
        await bullJob.updateData({ ...bullJob.data, rateLimitDelays: rateLimitDelays + 1 });
        await bullJob.moveToDelayed(Date.now() + delay, token);
        observer?.finished?.(job, 'retrying', Date.now() - startedAt, error);
        throw new DelayedError();
      }
      const transient = this.options.retryPolicy.isTransient(error);
      observer?.finished?.(job, transient && !finalAttempt ? 'retrying' : 'failed', Date.now() - startedAt, error);
      if (!transient) throw new UnrecoverableError((error as Error).message);
      throw error;
    } finally {
      clearInterval(poll);
    }
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /** Jobs that failed for good, for metrics and inspection. */
  async failedCount(): Promise<number> {
    return (await this.queue.getJobCounts('failed')).failed ?? 0;
  }

  /** Waits up to `ms` for the connection (at start, or while ioredis reconnects); commands fail fast without it. */
  private async connected(ms: number): Promise<void> {
    if (this.connection.status === 'ready') return;
    let onReady: () => void = () => undefined;
    await Promise.race([new Promise<void>((resolve) => this.connection.once('ready', (onReady = resolve))), sleep(ms)]);
    this.connection.off('ready', onReady);
  }

  async ready(): Promise<boolean> {
    if (this.closing) return false;
    await this.connected(READY_TIMEOUT_MS);
    if (this.connection.status !== 'ready') return false;
    const pong = this.connection.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    return Promise.race([pong, sleep(READY_TIMEOUT_MS).then(() => false)]);
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await this.connection.set(`${this.prefix}:once:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  /**
   * Waits for the scans in flight, at most the drain timeout: a scan still running then is let go
   * and, its lock expiring, retried by another worker, which completes the check run it opened.
   * Queued jobs stay in Redis for the next worker.
   */
  async close(): Promise<void> {
    this.closing = true;
    const drainMs = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    const drained = await Promise.race([
      (this.worker?.close() ?? Promise.resolve()).then(() => true),
      sleep(drainMs).then(() => false),
    ]);
    if (!drained) {
      void this.worker?.close(true).catch(() => undefined);
      // The worker's own blocking connection would otherwise go on reconnecting to a Redis that is away.
      void this.worker?.disconnect().catch(() => undefined);
    }
    // With Redis away the queue's own close would wait for a reconnection that may never come.
    await Promise.race([this.queue.close().catch(() => undefined), sleep(Math.min(drainMs, 2_000))]);
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
