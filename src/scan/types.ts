import type { RepoRef } from '../github/client.js';
import type { QueueJob } from '../queue/types.js';

/** Everything a worker needs to scan one pull request at one commit; plain data, so it can be queued. */
export interface ScanRequest {
  /** The webhook delivery that asked for the scan: the idempotency key and the log correlation id. */
  deliveryId: string;
  installationId: number;
  /** The base repository; a fork's head commit is read through it. */
  repo: RepoRef;
  /** 0 for a merge group, which belongs to no one pull request. */
  pullNumber: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
  /** The `pull_request` action that asked for the scan (`opened`, `synchronize`, …). */
  trigger: string;
  /** The head lives in another repository. */
  fork: boolean;
  /** How many files the PR changes, as GitHub counts them (it lists 3,000 at most). */
  changedFiles: number;
  /** The check run an earlier attempt created, so a retry completes it instead of adding another. */
  checkRunId?: number;
  /**
   * Set for a merge queue's group (`merge_group.checks_requested`): `headSha` is the group's
   * commit and `baseSha` the base branch it goes onto. Its changes come from the compare API, and
   * only the check run is published (no review, no supersede check: a group's commit never moves).
   */
  mergeGroup?: MergeGroupRef;
}

export interface MergeGroupRef {
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>`: unique per group, so it keys the group's scans. */
  headRef: string;
  baseRef: string;
}

/** A scan request as the queue carries it. */
export type ScanJob = ScanRequest & Pick<QueueJob, 'force' | 'followUp'>;
