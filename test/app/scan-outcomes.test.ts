import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { WardenMetrics } from '../../src/ops/metrics.js';
import { InProcessScanQueue } from '../../src/queue/in-process.js';
import type { ScanJob } from '../../src/scan/types.js';
import { createScanProcessor } from '../../src/scan/worker.js';
import {
  createTestApp,
  GitHubMock,
  IDENTITY,
  MARKER_KEY,
  OWNER,
  REPO,
  scanRequest,
  TEST_RULES,
  useNock,
} from './harness.js';

useNock();

describe('scan outcomes in the metrics', () => {
  test('a scan that fails is counted as failed, not completed', async () => {
    const { probot } = createTestApp();
    const metrics = new WardenMetrics({ defaultMetrics: false });
    const queue = new InProcessScanQueue<ScanJob>({
      concurrency: 1,
      perInstallation: 1,
      observer: metrics.queueObserver(),
    });
    queue.process(
      createScanProcessor({
        auth: (id) => probot.auth(id),
        logger: probot.log,
        rules: TEST_RULES,
        identity: () => Promise.resolve(IDENTITY),
        markerKey: MARKER_KEY,
      }),
    );
    const github = new GitHubMock().token().createCheckRun().config();
    github.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(404, { message: 'Not Found' });
    github.completeCheckRun();

    await queue.enqueue(scanRequest({ deliveryId: 'delivery-fails' }));
    await queue.idle();

    expect(github.bodies.updateCheckRun[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('warden_scans_total{outcome="failed"} 1');
    expect(text).not.toContain('warden_scans_total{outcome="completed"}');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
