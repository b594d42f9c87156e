import type { Logger } from 'pino';
import type { AnyRule } from '../engine/rule.js';
import type { GitHubClient } from '../github/client.js';
import type { AppIdentity } from '../github/identity.js';
import type { MarkerKey } from '../report/markers.js';
import { retryRateLimitedWrites } from '../github/rate-limits.js';
import { instrumentOctokit, type WardenMetrics } from '../ops/metrics.js';
import { ScanFailedError, type ScanProcessor } from '../queue/types.js';
import type { ScanJob } from './types.js';
import { runScan } from './pipeline.js';

export interface ScanWorkerOptions {
  /** An Octokit authenticated as the installation (Probot's `auth(installationId)`). */
  auth(installationId: number): Promise<GitHubClient>;
  logger: Logger;
  /** Who Warden is on GitHub, asked once (see `appIdentityOnce`). */
  identity(): Promise<AppIdentity>;
  markerKey: MarkerKey;
  rules?: readonly AnyRule[];
  metrics?: WardenMetrics;
  /** Where a follow-up scan of a PR's real head goes (the queue the job came from). */
  enqueue?: (job: ScanJob) => Promise<unknown>;
}

/** What a queue runs for each job: an installation client, then the pipeline. */
export function createScanProcessor(options: ScanWorkerOptions): ScanProcessor<ScanJob> {
  return async (job, attempt) => {
    const octokit = await options.auth(job.installationId);
    retryRateLimitedWrites(octokit as never);
    const identity = await options.identity();
    if (options.metrics) instrumentOctokit(octokit as never, options.metrics);
    const outcome = await runScan(job, {
      octokit,
      logger: options.logger,
      identity,
      markerKey: options.markerKey,
      signal: attempt.signal,
      finalAttempt: attempt.finalAttempt,
      claimHead: attempt.claimHead,
      checkRunCreated: attempt.recordCheckRun,
      ...(options.rules ? { rules: options.rules } : {}),
      ...(options.enqueue
        ? {
            // A follow-up: the head's own delivery may have been dropped as a duplicate or an older SHA.
            requestScanOf: async (headSha: string) => {
              await options.enqueue!({
                ...job,
                headSha,
                deliveryId: `${job.deliveryId}:head-${headSha}`,
                trigger: 'superseded',
                force: false,
                followUp: true,
                checkRunId: undefined,
              });
            },
          }
        : {}),
    });
    if (outcome.status === 'completed' && options.metrics) {
      options.metrics.findingsReported(outcome.findingsBySeverity);
    }
    // The check run already explains a failure; the queue still has to count it as one.
    if (outcome.status === 'failed') throw new ScanFailedError(outcome.error);
    return outcome.status === 'superseded' || outcome.status === 'duplicate' ? 'cancelled' : 'completed';
  };
}
