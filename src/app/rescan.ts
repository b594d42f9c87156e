import type { Logger } from 'pino';
import { latestRunStartedAt } from '../github/check-runs.js';
import type { GitHubClient, RepoRef } from '../github/client.js';
import { pullRequestKey, type ScanQueue } from '../queue/types.js';

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

export type RescanOutcome = 'requested' | 'cooling-down' | 'not-open' | 'queue-closed';

/**
 * Rescans of the current head of a pull request, at most one per cooldown per pull request. Two
 * guards: the time this process last took a rescan of the pull request (a burst arrives before
 * the first scan has even created its check run), and the start of the newest Warden run on the
 * head commit (so restarts and other replicas, and scans a push just started, count too). Behind
 * both, the queue collapses forced jobs for one SHA that are still waiting.
 */
export class Rescans {
  private readonly lastTaken = new Map<string, number>();

  constructor(
    private readonly queue: ScanQueue,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** For the help text. */
  get cooldownSeconds(): number {
    return this.cooldownMs / 1000;
  }

  async request(target: RescanTarget): Promise<RescanOutcome> {
    const { octokit, repo, pullNumber } = target;
    const key = pullRequestKey(target);
    const now = this.now();
    const last = this.lastTaken.get(key);
    if (last !== undefined && now - last < this.cooldownMs) return 'cooling-down';
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
    if (pr.state !== 'open') return 'not-open';
    if (this.cooldownMs > 0) {
      const started = await latestRunStartedAt(octokit, repo, pr.head.sha);
      if (started && now - started.getTime() < this.cooldownMs) return 'cooling-down';
    }
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
