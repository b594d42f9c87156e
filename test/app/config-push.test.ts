import { afterEach, describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { pushChangesConfig } from '../../src/app/config-push.js';
import { createTestApp, GitHubMock, HEAD_SHA, PR, pushPayload, TASKS, useNock } from './harness.js';

useNock();
afterEach(() => {
  delete process.env.WARDEN_CONFIG_RESCAN_LIMIT;
});

describe('a push that changes .github/warden.yml on the default branch', () => {
  test('rescans the open pull requests with the new config', async () => {
    // One installation token serves the handler and the scan.
    const github = new GitHubMock()
      .openPullRequests([{ number: PR, headSha: HEAD_SHA }])
      .scanningOneFile('app/tasks.py', TASKS, 'rules:\n  subprocess-shell-true: off\n')
      .reviewComments()
      .head()
      .completeCheckRun();
    const app = createTestApp();

    await app.deliver('push', pushPayload('refs/heads/main', ['README.md', '.github/warden.yml']), 'delivery-push');

    expect(github.bodies.openPullRequests[0].variables).toMatchObject({ first: 30, cursor: null });
    expect(github.bodies.openPullRequests[0].query).toContain('orderBy: { field: CREATED_AT, direction: DESC }');
    expect(app.enqueued).toEqual([
      expect.objectContaining({
        deliveryId: 'delivery-push:pr-2',
        pullNumber: PR,
        headSha: HEAD_SHA,
        trigger: 'config-change',
        force: true,
      }),
    ]);
    // The rule the new config switched off no longer fails the pull request.
    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'success' });
    expect(app.logs.find((entry) => entry.msg.includes('open pull requests rescanned'))).toMatchObject({
      pulls: 1,
      outcomes: { queued: 1 },
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('rescans the newest pull requests first, no more than WARDEN_CONFIG_RESCAN_LIMIT', async () => {
    process.env.WARDEN_CONFIG_RESCAN_LIMIT = '2';
    // Drafts: each rescan reads the config, finds `drafts: false` and stops there.
    const github = new GitHubMock().token().openPullRequests(
      [
        { number: 9, headSha: 'c'.repeat(40), isDraft: true },
        { number: 5, headSha: 'b'.repeat(40), isDraft: true },
      ],
      true,
    );
    github.config().config();
    const app = createTestApp();

    await app.deliver('push', pushPayload('refs/heads/main', ['.github/warden.yml']));

    expect(github.bodies.openPullRequests).toHaveLength(1);
    expect(github.bodies.openPullRequests[0].variables).toMatchObject({ first: 2 });
    expect(app.enqueued.map((job) => job.pullNumber)).toEqual([9, 5]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a limit of 0 turns the rescans off', async () => {
    process.env.WARDEN_CONFIG_RESCAN_LIMIT = '0';
    const github = new GitHubMock();
    const app = createTestApp();
    await app.deliver('push', pushPayload('refs/heads/main', ['.github/warden.yml']));
    expect(github.calls).toBe(0);
    expect(app.enqueued).toEqual([]);
  });
});

describe('pushes that leave the config alone', () => {
  test('to another branch, or to the default branch without touching the config, cost no call', async () => {
    const github = new GitHubMock();
    const app = createTestApp();
    await app.deliver('push', pushPayload('refs/heads/feature', ['.github/warden.yml']), 'delivery-1');
    await app.deliver('push', pushPayload('refs/heads/main', ['app/tasks.py', '.github/warden.yaml']), 'delivery-2');
    await app.deliver('push', pushPayload('refs/tags/v1', ['.github/warden.yml']), 'delivery-3');
    expect(github.calls).toBe(0);
    expect(app.enqueued).toEqual([]);
  });

  test('a force push or a commit list GitHub cut short counts as a change, since the payload cannot tell', () => {
    const untouched = { modified: ['app.py'] };
    expect(pushChangesConfig({ commits: [untouched], forced: false })).toBe(false);
    expect(pushChangesConfig({ commits: [{ removed: ['.github/warden.yml'] }], forced: false })).toBe(true);
    expect(pushChangesConfig({ commits: [untouched], forced: true })).toBe(true);
    expect(pushChangesConfig({ commits: Array.from({ length: 2048 }, () => untouched), forced: false })).toBe(true);
  });
});
