/**
 * What the queues read of a job: the delivery that asked for it (the idempotency key), the
 * installation whose share of the workers it takes, and the pull request and commit it is about
 * (a newer head SHA supersedes older jobs of that pull request). Whatever else a job carries
 * travels untouched, as plain data.
 */
export interface QueueJob {
  deliveryId: string;
  installationId: number;
  repo: { owner: string; repo: string };
  pullNumber: number;
  headSha: string;
  /** A rescan of a SHA that was already scanned or is queued: it still runs once more, with a check run of its own. */
  force?: boolean;
  /**
   * Asked for by a scan that found the pull request at a head with no Warden run: it runs even
   * when an earlier job of that head was skipped, but like any other job it opens a check run
   * only if no other job owns the head's run.
   */
  followUp?: boolean;
  /** Set for a merge group's scan, which coalesces on the group (several run at once in one queue) rather than a pull request. */
  mergeGroup?: { headRef: string };
}

export interface ScanAttempt {
  /** Aborted when a newer head SHA supersedes this scan: stop before publishing anything. */
  signal: AbortSignal;
  /** 1-based. */
  attempt: number;
  /** No retry follows a failure of this attempt, so a failure must end the check run. */
  finalAttempt: boolean;
  /**
   * Takes the one check run of the job's head for this job (a forced rescan always gets one of
   * its own). False when another job owns it: opening a second run would double the scan.
   */
  claimHead: () => Promise<boolean>;
  /** Stores the check run id with the job as soon as it exists, so a retry after a crash completes that run. */
  recordCheckRun: (checkRunId: number) => Promise<void>;
}

/** How a scan that did not fail ended: published, or stopped because a newer head or another job took over. */
export type ProcessedScan = 'completed' | 'cancelled';

/** Resolves to how the scan ended; nothing means it completed. */
export type ScanProcessor<J extends QueueJob = QueueJob> = (
  job: J,
  attempt: ScanAttempt,
) => Promise<ProcessedScan | void>;

/** Thrown by a processor whose scan failed for good (its check run says why): counted as failed and not retried. */
export class ScanFailedError extends Error {}

export type EnqueueOutcome =
  | 'queued'
  | 'coalesced' // replaced a queued scan of the same PR
  | 'duplicate-delivery' // the same delivery id was seen before
  | 'already-queued' // the same PR and SHA is queued or running, and this is no rescan
  | 'closed'; // the queue is shutting down

export interface ScanQueue<J extends QueueJob = QueueJob> {
  /** Rejects with `QueueUnavailableError`, in bounded time, when the queue's store cannot take the job. */
  enqueue(job: J): Promise<EnqueueOutcome>;
  /** Starts consuming jobs (the worker role). */
  process(processor: ScanProcessor<J>): void;
  /** Jobs waiting to run. */
  depth(): Promise<number>;
  /** Stops taking jobs and waits for the queued and running ones to finish. */
  close(): Promise<void>;
  /** True while the queue can take work (for /readyz); answers within a second. */
  ready(): Promise<boolean>;
  /**
   * True the first time `key` is claimed within `ttlMs`, across every process sharing the
   * queue: for work that must happen once, such as asking GitHub to redeliver a delivery.
   */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
}

/** The queue's store (Redis) did not answer in time: the job was not queued. */
export class QueueUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the scan queue is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/** What a job's scans coalesce on: its pull request, or its merge group (several run at once in one queue). */
export function pullRequestKey(job: Pick<QueueJob, 'repo' | 'pullNumber' | 'mergeGroup'>): string {
  const target = job.mergeGroup ? `@${job.mergeGroup.headRef}` : `#${job.pullNumber}`;
  return `${job.repo.owner}/${job.repo.repo}${target}`.toLowerCase();
}

/**
 * Thrown by a processor whose attempt failed but may be retried: `jobUpdate` is merged into the
 * job first (the check run id, so the retry reuses the run), then `cause` decides how to retry.
 */
export class RetryableScanError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly jobUpdate: Readonly<Record<string, unknown>>,
  ) {
    super((cause as Error)?.message ?? String(cause));
  }
}

/** Hooks for metrics and logs, so the queues stay free of prom-client and pino. */
export interface QueueObserver {
  enqueued?(job: QueueJob, outcome: EnqueueOutcome): void;
  started?(job: QueueJob, waitMs: number): void;
  finished?(
    job: QueueJob,
    outcome: 'completed' | 'cancelled' | 'failed' | 'retrying',
    durationMs: number,
    error?: unknown,
  ): void;
}

/** How a queue that retries judges a failure; the queue itself knows nothing of where errors come from. */
export interface RetryPolicy {
  /** Worth another attempt (a timeout, a server error), as opposed to a failure for good. */
  isTransient(error: unknown): boolean;
  /** How long to wait before the next attempt when the error asks for a wait (a rate limit), else undefined. */
  delayMs(error: unknown): number | undefined;
}
