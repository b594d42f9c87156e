import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { instrumentOctokit, WardenMetrics } from '../../src/ops/metrics.js';

describe('metrics', () => {
  it('counts GitHub requests by status and tracks the remaining rate limit', async () => {
    nock.disableNetConnect();
    nock('https://api.github.com').get('/repos/acme/api').reply(200, {}, { 'x-ratelimit-remaining': '4321' });
    nock('https://api.github.com').get('/repos/acme/gone').reply(404, { message: 'Not Found' });
    const metrics = new WardenMetrics({ defaultMetrics: false });
    const octokit = new Octokit({ request: { retries: 0 } });
    instrumentOctokit(octokit as never, metrics);
    await octokit.rest.repos.get({ owner: 'acme', repo: 'api' });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'gone' })).rejects.toThrow();
    const text = await metrics.registry.metrics();
    expect(text).toContain('warden_github_requests_total{method="GET",status="200"} 1');
    expect(text).toContain('warden_github_requests_total{method="GET",status="404"} 1');
    expect(text).toContain('warden_github_rate_limit_remaining 4321');
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('turns queue events into scan, wait and outcome metrics', async () => {
    const metrics = new WardenMetrics({ defaultMetrics: false });
    const observer = metrics.queueObserver();
    const job = {
      deliveryId: 'd',
      installationId: 1,
      repo: { owner: 'o', repo: 'r' },
      pullNumber: 1,
      headSha: 's',
      baseSha: 'b',
      draft: false,
      trigger: 'opened',
      fork: false,
      changedFiles: 1,
    };
    observer.enqueued!(job, 'queued');
    observer.enqueued!(job, 'duplicate-delivery');
    observer.started!(job, 1500);
    observer.finished!(job, 'completed', 2000);
    observer.finished!(job, 'failed', 10, new Error('x'));
    const text = await metrics.registry.metrics();
    expect(text).toContain('warden_jobs_enqueued_total{outcome="duplicate-delivery"} 1');
    expect(text).toContain('warden_scans_total{outcome="completed"} 1');
    expect(text).toContain('warden_errors_total{stage="scan"} 1');
    expect(text).toMatch(/warden_queue_wait_seconds_sum 1\.5/);
  });
});
