import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { RetryableScanError } from '../../src/queue/types.js';
import { runScan } from '../../src/scan/pipeline.js';
import {
  CHECK_RUN_ID,
  createTestApp,
  GitHubMock,
  OWN,
  OWNER,
  REPO,
  TASKS,
  TEST_RULES,
  useNock,
  scanRequest,
} from './harness.js';

useNock();

const request = scanRequest({ deliveryId: 'delivery-retry', trigger: 'synchronize' });

describe('deliveries that arrive out of order', () => {
  const NEWER = '0123456789abcdef0123456789abcdef01234567';

  function superseded(runsOnNewer: { id: number; name: string; started_at: string }[]) {
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', 'x = 1\n')
      .reviewComments()
      .head(NEWER)
      .completeCheckRun();
    github.scope
      .get(`/repos/${OWNER}/${REPO}/commits/${NEWER}/check-runs`)
      .query({ check_name: 'Warden', filter: 'latest', per_page: '100' })
      .reply(200, { total_count: runsOnNewer.length, check_runs: runsOnNewer });
    return github;
  }

  test('a scan that finds the PR at a head with no Warden run asks for that head to be scanned', async () => {
    const { probot } = createTestApp();
    const github = superseded([]);
    const requested: string[] = [];
    const outcome = await runScan(request, {
      ...OWN,
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      requestScanOf: (sha) => Promise.resolve(void requested.push(sha)),
    });
    expect(outcome).toEqual({ status: 'superseded', by: NEWER });
    expect(github.bodies.updateCheckRun[0]).toMatchObject({
      conclusion: 'neutral',
      output: { title: 'Superseded by 0123456' },
    });
    expect(requested).toEqual([NEWER]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('no follow-up when the newer head already has its Warden run', async () => {
    const { probot } = createTestApp();
    superseded([{ id: 9, name: 'Warden', started_at: new Date().toISOString() }]);
    const requested: string[] = [];
    await runScan(request, {
      ...OWN,
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      requestScanOf: (sha) => Promise.resolve(void requested.push(sha)),
    });
    expect(requested).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('scans a queue will retry', () => {
  test('a transient failure on a retried attempt leaves the check run open for the retry, which completes it', async () => {
    const { probot } = createTestApp();
    const github = new GitHubMock().token().createCheckRun().config();
    github.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(502, { message: 'Bad Gateway' });
    const octokit = (await probot.auth(1)) as never;

    const first = runScan(request, {
      ...OWN,
      octokit,
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      finalAttempt: false,
    });
    await expect(first).rejects.toBeInstanceOf(RetryableScanError);
    await expect(first).rejects.toMatchObject({ jobUpdate: { checkRunId: CHECK_RUN_ID } });
    expect(github.bodies.updateCheckRun).toBeUndefined();

    // The retry reuses the run: no second check run is created, and the last attempt completes it.
    github.config();
    github.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(502, { message: 'Bad Gateway' });
    github.completeCheckRun();
    const outcome = await runScan(
      { ...request, checkRunId: CHECK_RUN_ID },
      { ...OWN, octokit, logger: probot.log, rules: TEST_RULES, finalAttempt: true },
    );
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(github.bodies.createCheckRun).toHaveLength(1);
    expect(github.bodies.updateCheckRun[0]).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a cancelled scan asks GitHub for the head, publishes nothing and completes its check run as superseded', async () => {
    const { probot } = createTestApp();
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', 'x = 1\n')
      .head('0123456789abcdef')
      .completeCheckRun();
    const controller = new AbortController();
    controller.abort(new Error('superseded by 0123456789abcdef'));
    const outcome = await runScan(request, {
      ...OWN,
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      signal: controller.signal,
    });
    expect(outcome).toEqual({ status: 'superseded', by: '0123456789abcdef' });
    expect(github.bodies.updateCheckRun[0]).toMatchObject({
      conclusion: 'neutral',
      output: { title: 'Superseded by 0123456' },
    });
    expect(github.bodies.review).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a scan cancelled by an older SHA that arrived late still publishes, since GitHub says it is the head', async () => {
    const { probot } = createTestApp();
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS)
      .head()
      .reviewComments()
      .head()
      .earlierReviews()
      .review()
      .completeCheckRun();
    const controller = new AbortController();
    controller.abort(new Error('superseded by 0123456789abcdef'));
    const outcome = await runScan(request, {
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      signal: controller.signal,
    });
    expect(outcome).toMatchObject({ status: 'completed', conclusion: 'failure', inlineComments: 1 });
    expect(github.bodies.review).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('one check run per head, kept for retries', () => {
  test('a scan whose head another scan owns opens no check run', async () => {
    const { probot } = createTestApp();
    const outcome = await runScan(request, {
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      claimHead: () => Promise.resolve(false),
    });
    expect(outcome).toEqual({ status: 'duplicate' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('stores the check run id with the job before anything else, so a crashed attempt can be completed', async () => {
    const { probot } = createTestApp();
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', 'x = 1\n')
      .reviewComments()
      .head()
      .completeCheckRun();
    const order: string[] = [];
    github.scope.on('request', (req: { method: string; path: string }) => order.push(`${req.method} ${req.path}`));
    await runScan(request, {
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      claimHead: () => Promise.resolve(true),
      checkRunCreated: (id) => Promise.resolve(void order.push(`stored ${id}`)),
    });
    expect(order.indexOf(`stored ${CHECK_RUN_ID}`)).toBe(order.findIndex((call) => call.includes('/check-runs')) + 1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
