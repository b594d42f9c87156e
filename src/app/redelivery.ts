import type { Logger } from 'pino';
import type { GitHubClient } from '../github/client.js';
import { listDeliveriesSince, requestRedelivery, type HookDelivery } from '../github/deliveries.js';
import type { ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';

/** The events (and actions) whose deliveries start scans: the ones worth sending again. */
const SCAN_EVENTS: Record<string, readonly string[]> = {
  pull_request: ['opened', 'synchronize', 'reopened', 'ready_for_review'],
  issue_comment: ['created'],
  check_run: ['rerequested', 'requested_action'],
  check_suite: ['rerequested'],
};

export interface FailedDeliveriesOptions {
  /** An Octokit authenticated as the app (JWT): the delivery log is the app's, not an installation's. */
  appOctokit: () => Promise<GitHubClient>;
  queue: ScanQueue<ScanJob>;
  log: Logger;
  /** How far back the delivery log is read; GitHub keeps three days of it. */
  windowMs: number;
  /** How often the log is read anyway (a process that was down refused deliveries too). */
  intervalMs: number;
  /** How often the queue is asked whether it is back after an outage. */
  readyPollMs?: number;
}

/**
 * GitHub never sends a failed delivery again by itself. Deliveries refused while the queue was
 * away (a 503) or while the app was down are found in the app's delivery log when the queue is
 * back and on a schedule, and the ones that concern scans are redelivered, once per delivery id
 * across every replica.
 */
export class FailedDeliveries {
  private timers: NodeJS.Timeout[] = [];
  private wasReady = true;
  private running: Promise<number> | undefined;

  constructor(private readonly options: FailedDeliveriesOptions) {}

  start(): void {
    const { intervalMs, readyPollMs = 5_000 } = this.options;
    this.timers.push(setInterval(() => void this.recoverLogged('schedule'), intervalMs).unref());
    this.timers.push(
      setInterval(() => {
        void this.options.queue.ready().then((ready) => {
          if (ready && !this.wasReady) void this.recoverLogged('queue back');
          this.wasReady = ready;
        });
      }, readyPollMs).unref(),
    );
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  private recoverLogged(reason: string): Promise<number> {
    return this.recover().then(
      (count) => {
        if (count > 0) this.options.log.info({ reason, redelivered: count }, 'failed deliveries redelivered');
        return count;
      },
      (error: unknown) => {
        this.options.log.warn({ err: error, reason }, 'cannot redeliver failed deliveries');
        return 0;
      },
    );
  }

  /** Redelivers the failed scan deliveries in the window that never succeeded; resolves with how many. */
  recover(): Promise<number> {
    // One pass at a time: the schedule and the queue's return may coincide.
    this.running ??= this.redeliverFailed().finally(() => (this.running = undefined));
    return this.running;
  }

  private async redeliverFailed(): Promise<number> {
    if (!(await this.options.queue.ready())) return 0;
    const octokit = await this.options.appOctokit();
    const deliveries = await listDeliveriesSince(octokit, new Date(Date.now() - this.options.windowMs));
    const attempts = new Map<string, HookDelivery[]>();
    for (const delivery of deliveries) attempts.set(delivery.guid, [...(attempts.get(delivery.guid) ?? []), delivery]);
    let redelivered = 0;
    for (const [guid, tries] of attempts) {
      const newest = tries[0];
      if (!SCAN_EVENTS[newest.event]?.includes(newest.action ?? '')) continue;
      if (tries.some((attempt) => attempt.ok)) continue;
      if (!(await this.options.queue.claimOnce(`redelivery:${guid}`, this.options.windowMs))) continue;
      await requestRedelivery(octokit, newest.id);
      redelivered++;
    }
    return redelivered;
  }
}
