import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { RetryableScanError } from '../../src/queue/types.js';
import { runScan } from '../../src/scan/pipeline.js';
import {
  CHECK_RUN_ID,
  createTestApp,
  GitHubMock,
  OWNER,
  pullRequestPayload,
  REPO,
  TASKS,
  TEST_RULES,
  useNock,
  scanRequest,
  OWN,
} from './harness.js';

useNock();

const REVIEWS = `/repos/${OWNER}/${REPO}/pulls/2/reviews`;

function secondaryRateLimit(github: GitHubMock, retryAfterSeconds: number, times = 1): void {
  github.scope
    .post(REVIEWS)
    .times(times)
    .reply(
      403,
      { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      { 'retry-after': String(retryAfterSeconds) },
    );
}

describe('a secondary rate limit on the review', () => {
  test('the review is posted after the retry-after GitHub asked for, and the summary reports no problem', async () => {
    const github = new GitHubMock().scanningOneFile('app/tasks.py', TASKS).reviewComments().head();
    secondaryRateLimit(github, 1);
    github.review().completeCheckRun();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.review).toHaveLength(1);
    expect(github.bodies.review[0].comments).toHaveLength(1);
    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(completion.output.summary).not.toContain('could not be posted');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a scan a queue will retry is requeued with its check run instead of finishing without the review', async () => {
    const { probot } = createTestApp();
    const github = new GitHubMock().scanningOneFile('app/tasks.py', TASKS).reviewComments().head();
    secondaryRateLimit(github, 600);
    const attempt = runScan(scanRequest({ deliveryId: 'delivery-rate-limited' }), {
      octokit: await probot.auth(1),
      logger: probot.log,
      rules: TEST_RULES,
      ...OWN,
      finalAttempt: false,
    });
    await expect(attempt).rejects.toBeInstanceOf(RetryableScanError);
    await expect(attempt).rejects.toMatchObject({ jobUpdate: { checkRunId: CHECK_RUN_ID }, cause: { status: 403 } });
    expect(github.bodies.updateCheckRun).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('when no retry is left, the check run says the review was not posted', async () => {
    const github = new GitHubMock().scanningOneFile('app/tasks.py', TASKS).reviewComments().head();
    secondaryRateLimit(github, 600);
    github.completeCheckRun();

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(completion.output.summary).toContain('The review could not be posted');
    expect(completion.output.summary).toContain('secondary rate limit');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
