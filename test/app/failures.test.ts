import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  addedFilePatch,
  blob,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  OWNER,
  pullRequestPayload,
  REPO,
  TASKS,
  useNock,
} from './harness.js';

useNock();

describe('failures and configuration', () => {
  test('a 500 mid-scan still completes the check run as neutral and logs the delivery id', async () => {
    const github = new GitHubMock().token().createCheckRun().config();
    github.scope
      .get(`/repos/${OWNER}/${REPO}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(500, { message: 'Server Error' });
    github.completeCheckRun();
    const app = createTestApp();

    await app.receive(pullRequestPayload(), 'delivery-500');

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 'Scan could not finish', annotations: [] },
    });
    expect(completion.output.summary).toContain('while listing the changed files (HTTP 500)');
    expect(app.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ level: 50, deliveryId: 'delivery-500', msg: 'scan failed' })]),
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a secondary rate limit mid-scan still completes the check run and says to rescan', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'app/tasks.py', patch: addedFilePatch(TASKS) }]);
    github.scope
      .post('/graphql')
      .reply(
        403,
        { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        { 'retry-after': '60' },
      );
    github.completeCheckRun();

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 'Scan stopped by a GitHub rate limit' },
      actions: [{ identifier: 'rescan' }],
    });
    expect(completion.output.summary).toContain('GitHub asked to wait 60 s');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a broken config is reported in the summary and the scan runs on the defaults', async () => {
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS, 'min_severity: critical\ncomments:\n  max_comments: many\nsurprise: 1\n')
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({ conclusion: 'failure' });
    expect(completion.output.summary).toContain('### Configuration errors');
    expect(completion.output.summary).toContain('.github/warden.yml: min\\_severity');
    expect(completion.output.summary).toContain('unknown key `surprise`');
    expect(completion.output.summary).toMatchSnapshot('summary with config errors');
    expect(github.bodies.review[0].comments).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('YAML that does not parse is reported, not fatal', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('rules: [unclosed\n')
      .files([{ filename: 'README.md', patch: '@@ -0,0 +1 @@\n+hi' }])
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({ conclusion: 'success' });
    expect(completion.output.summary).toMatch(
      /\.github\/warden\.yml: Configuration could not be parsed .*; using the defaults/,
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('skips a draft pull request without creating a check run', async () => {
    new GitHubMock().token().config();

    await createTestApp().receive(pullRequestPayload({ draft: true }));

    expect(nock.pendingMocks()).toEqual([]);
  });

  test('scans a draft when the config says `drafts: true`', async () => {
    const github = new GitHubMock()
      .token()
      .config('drafts: true\n')
      .createCheckRun()
      .files([{ filename: 'app/tasks.py', patch: addedFilePatch(TASKS) }])
      .contents({ [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ draft: true }));

    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
