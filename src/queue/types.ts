import type { ScanRequest } from '../scan/types.js';

/** One unit of work: scan one pull request at one head SHA. */
export interface ScanJob extends ScanRequest {
  /** A rescan of a SHA that was already scanned or is queued: it still runs once more. */
  force?: boolean;
}

export interface ScanAttempt {
  /** Aborted when a newer head SHA supersedes this scan: stop before publishing anything. */
  signal: AbortSignal;
  /** 1-based. */
  attempt: number;
  /** No retry follows a failure of this attempt, so a failure must end the check run. */
  finalAttempt: boolean;
}

export type ScanProcessor = (job: ScanJob, attempt: ScanAttempt) => Promise<void>;

export type EnqueueOutcome =
  | 'queued'
  | 'coalesced' // replaced a queued scan of the same PR
  | 'duplicate-delivery' // the same delivery id was seen before
  | 'already-queued' // the same PR and SHA is queued or running, and this is no rescan
  | 'closed'; // the queue is shutting down

export interface ScanQueue {
  enqueue(job: ScanJob): Promise<EnqueueOutcome>;
  /** Starts consuming jobs (the worker role). */
  process(processor: ScanProcessor): void;
  /** Jobs waiting to run. */
  depth(): Promise<number>;
  /** Stops taking jobs and waits for the queued and running ones to finish. */
  close(): Promise<void>;
  /** True while the queue can take work (for /readyz). */
  ready(): Promise<boolean>;
}

export function pullRequestKey(job: Pick<ScanJob, 'repo' | 'pullNumber'>): string {
  return `${job.repo.owner}/${job.repo.repo}#${job.pullNumber}`.toLowerCase();
}

/**
 * Thrown by a processor whose attempt failed but may be retried: `jobUpdate` is merged into the
 * job first (the check run id, so the retry reuses the run), then `cause` decides how to retry.
 */
export class RetryableScanError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly jobUpdate: Partial<ScanJob>,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** Hooks for metrics and logs, so the queues stay free of prom-client and pino. */
export interface QueueObserver {
  enqueued?(job: ScanJob, outcome: EnqueueOutcome): void;
  started?(job: ScanJob, waitMs: number): void;
  finished?(
    job: ScanJob,
    outcome: 'completed' | 'cancelled' | 'failed' | 'retrying',
    durationMs: number,
    error?: unknown,
  ): void;
}
