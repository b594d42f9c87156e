import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HookableOctokit } from '../github/client.js';
import type { QueueJob, QueueObserver } from '../queue/types.js';

/** Prometheus metrics for one process; `/metrics` serves `registry.metrics()`. */
export class WardenMetrics {
  readonly registry = new Registry();

  readonly scans = new Counter({
    name: 'warden_scans_total',
    help: 'Scans finished, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly scanDuration = new Histogram({
    name: 'warden_scan_duration_seconds',
    help: 'Wall time of a scan, from start to publish',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'warden_queue_wait_seconds',
    help: 'Time a scan waited in the queue before it started',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly enqueued = new Counter({
    name: 'warden_jobs_enqueued_total',
    help: 'Scan requests by what the queue did with them',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'warden_queue_depth',
    help: 'Scans waiting to run',
    registers: [this.registry],
  });
  readonly findings = new Counter({
    name: 'warden_findings_total',
    help: 'Findings reported, by severity',
    labelNames: ['severity'] as const,
    registers: [this.registry],
  });
  readonly githubCalls = new Counter({
    name: 'warden_github_requests_total',
    help: 'GitHub API requests, by method and status',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'warden_errors_total',
    help: 'Errors, by where they happened',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });
  readonly rateLimitRemaining = new Gauge({
    name: 'warden_github_rate_limit_remaining',
    help: 'x-ratelimit-remaining of the latest GitHub response',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'warden_' });
  }

  /** Feeds queue events into the metrics. */
  queueObserver(next?: QueueObserver): QueueObserver {
    return {
      enqueued: (job: QueueJob, outcome) => {
        this.enqueued.inc({ outcome });
        next?.enqueued?.(job, outcome);
      },
      started: (job, waitMs) => {
        this.queueWait.observe(waitMs / 1000);
        next?.started?.(job, waitMs);
      },
      finished: (job, outcome, durationMs, error) => {
        this.scans.inc({ outcome });
        if (outcome === 'completed') this.scanDuration.observe(durationMs / 1000);
        if (outcome === 'failed') this.errors.inc({ stage: 'scan' });
        next?.finished?.(job, outcome, durationMs, error);
      },
    };
  }

  findingsReported(bySeverity: Record<string, number>): void {
    for (const [severity, count] of Object.entries(bySeverity)) if (count > 0) this.findings.inc({ severity }, count);
  }

  /** Records one GitHub response (or failure) seen by an Octokit `request` hook. */
  recordGithubResponse(method: string, status: number | undefined, headers: Record<string, unknown> | undefined): void {
    this.githubCalls.inc({ method, status: status === undefined ? 'error' : String(status) });
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    if (Number.isFinite(remaining)) this.rateLimitRemaining.set(remaining);
  }
}

/** Counts every request an Octokit instance makes, with its status and rate-limit headers. */
export function instrumentOctokit(octokit: HookableOctokit, metrics: WardenMetrics): void {
  octokit.hook.wrap('request', async (request, options) => {
    try {
      const response = (await request(options as never)) as { status: number; headers: Record<string, unknown> };
      metrics.recordGithubResponse(options.method, response.status, response.headers);
      return response;
    } catch (error) {
      const e = error as { status?: number; response?: { headers?: Record<string, unknown> } };
      metrics.recordGithubResponse(options.method, e.status, e.response?.headers);
      throw error;
    }
  });
}
