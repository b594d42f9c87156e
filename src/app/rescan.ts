import type { Logger } from 'pino';
import { latestRunStartedAt } from '../github/check-runs.js';
import type { GitHubClient, RepoRef } from '../github/client.js';
import { pullRequestKey, type ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';

/** Default seconds between two rescans of one pull request; `WARDEN_RESCAN_COOLDOWN_SECONDS` overrides it. */
export const DEFAULT_RESCAN_COOLDOWN_SECONDS = 30;

export function rescanCooldownMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WARDEN_RESCAN_COOLDOWN_SECONDS;
  const seconds = raw === undefined || raw.trim() === '' ? DEFAULT_RESCAN_COOLDOWN_SECONDS : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_RESCAN_COOLDOWN_SECONDS * 1000;
}

export interface RescanTarget {
  octokit: GitHubClient;
  log: Logger;
  deliveryId: string;
  installationId: number;
  repo: RepoRef;
  pullNumber: number;
}

export type RescanOutcome =
  | 'requested'
  | 'deferred' // within the cooldown: it runs when the cooldown ends
  | 'already-deferred' // within the cooldown, and a rescan of the pull request is already waiting for its end
  | 'not-open'
  | 'queue-closed';

export interface RescanResult {
  outcome: RescanOutcome;
  /** For a deferred rescan: how long until it starts. */
  startsInMs?: number;
}

/**
 * Rescans of the current head of a pull request, at most one per cooldown per pull request. Two
 * guards: the time this process last took a rescan of the pull request (a burst arrives before
 * the first scan has even created its check run), and the start of the newest Warden run on the
 * head commit (so restarts and other replicas, and scans a push just started, count too). A
 * rescan asked for within the cooldown is not refused: it waits for the cooldown's end, one
 * waiting rescan per pull request, and later asks join it. Behind both guards, the queue
 * collapses forced jobs for one SHA that are still waiting.
 */
export class Rescans {
  private readonly lastTaken = new Map<string, number>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly queue: ScanQueue<ScanJob>,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** For the help text. */
  get cooldownSeconds(): number {
    return this.cooldownMs / 1000;
  }

  /**
   * Queues a rescan now, or at the end of the cooldown; `whenDeferredRuns` hears how a deferred
   * one went when it ran (a failure to run it is logged).
   */
  async request(
    target: RescanTarget,
    whenDeferredRuns?: (outcome: RescanOutcome) => Promise<void>,
  ): Promise<RescanResult> {
    const { octokit, repo, pullNumber } = target;
    const key = pullRequestKey(target);
    const now = this.now();
    if (this.waiting.has(key)) return { outcome: 'already-deferred' };
    const last = this.lastTaken.get(key);
    if (last !== undefined && now - last < this.cooldownMs)
      return this.defer(key, target, this.cooldownMs - (now - last), whenDeferredRuns);
    // Taken before the first await, so concurrent deliveries see it.
    this.lastTaken.set(key, now);
    this.forgetOlderThan(now);

    let pr: Awaited<ReturnType<GitHubClient['rest']['pulls']['get']>>['data'];
    try {
      ({ data: pr } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber }));
    } catch (error) {
      // Nothing was started: the next attempt need not wait.
      this.lastTaken.delete(key);
      throw error;
    }
    if (pr.state !== 'open') return { outcome: 'not-open' };
    if (this.cooldownMs > 0) {
      const started = await latestRunStartedAt(octokit, repo, pr.head.sha);
      if (started && now - started.getTime() < this.cooldownMs) {
        if (this.waiting.has(key)) return { outcome: 'already-deferred' };
        return this.defer(key, target, this.cooldownMs - (now - started.getTime()), whenDeferredRuns);
      }
    }
    return { outcome: await this.enqueue(target, pr) };
  }

  /** Runs the rescan when the cooldown ends; the timer keeps no process alive on shutdown. */
  private defer(
    key: string,
    target: RescanTarget,
    waitMs: number,
    whenDeferredRuns?: (outcome: RescanOutcome) => Promise<void>,
  ): RescanResult {
    const timer = setTimeout(() => {
      this.waiting.delete(key);
      this.lastTaken.delete(key);
      this.request({ ...target, deliveryId: `${target.deliveryId}:deferred` }, whenDeferredRuns)
        .then(async ({ outcome }) => {
          // Deferred once more (a push started a scan meanwhile): the callback waits for that one.
          if (outcome !== 'deferred' && outcome !== 'already-deferred') await whenDeferredRuns?.(outcome);
        })
        .catch((error: unknown) =>
          target.log.error(
            { err: error, deliveryId: target.deliveryId, pr: target.pullNumber },
            'cannot run the deferred rescan',
          ),
        );
    }, waitMs);
    timer.unref();
    this.waiting.set(key, timer);
    target.log.info(
      { deliveryId: target.deliveryId, pr: target.pullNumber, waitMs },
      'rescan deferred to the end of the cooldown',
    );
    return { outcome: 'deferred', startsInMs: waitMs };
  }

  private async enqueue(
    target: RescanTarget,
    pr: Awaited<ReturnType<GitHubClient['rest']['pulls']['get']>>['data'],
  ): Promise<RescanOutcome> {
    const { repo, pullNumber } = target;
    const outcome = await this.queue.enqueue({
      deliveryId: target.deliveryId,
      installationId: target.installationId,
      repo,
      pullNumber,
      headSha: pr.head.sha,
      baseSha: pr.base.sha,
      draft: pr.draft === true,
      trigger: 'rescan',
      fork: pr.head.repo?.full_name !== pr.base.repo.full_name,
      changedFiles: pr.changed_files,
      force: true,
    });
    target.log.info(
      { deliveryId: target.deliveryId, repo: `${repo.owner}/${repo.repo}`, pr: pullNumber, sha: pr.head.sha, outcome },
      'rescan requested',
    );
    return outcome === 'closed' ? 'queue-closed' : 'requested';
  }

  /** Keeps the map as small as the set of pull requests rescanned within one cooldown. */
  private forgetOlderThan(now: number): void {
    for (const [key, at] of this.lastTaken) if (now - at >= this.cooldownMs) this.lastTaken.delete(key);
  }
}
