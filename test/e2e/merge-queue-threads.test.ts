import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { PullRequestState, RepositoryState } from '../../dev/github-sim/index.js';
import { waitForScan } from '../../dev/scan-watch.js';
import { SERVICE, startHarness, type Harness } from './harness.js';

/**
 * Merge queues and review-thread resolution, end to end: the built app against the GitHub
 * simulator, which builds merge groups and keeps each thread's resolution as GitHub does.
 */

const TIMEOUT_MS = 120_000;

/** The same service archiving a fixed directory in Python: no finding. */
const FIXED = SERVICE.replace('import os', 'import shutil').replace(
  'os.system("tar czf /tmp/backup.tgz " + request.args["dir"])',
  'shutil.make_archive("/tmp/backup", "gztar", "data")',
);

const MAINTAINER = 'maria';

let harness: Harness;
let repoCounter = 0;

beforeAll(async () => {
  harness = await startHarness();
}, 180_000);

afterAll(async () => {
  await harness?.stop();
});

/** How many requests the simulator had refused when the test's pull request was opened. */
let rejectionsBefore = 0;

async function openScannedPull(
  files: Record<string, string>,
): Promise<{ repo: RepositoryState; pull: PullRequestState; headSha: string }> {
  rejectionsBefore = harness.sim.rejections.length;
  repoCounter++;
  const repo = harness.sim.createRepository('octo-org', `queue-${repoCounter}`, { 'README.md': '# service\n' });
  harness.sim.setPermission(repo, MAINTAINER, 'write');
  const { pull } = await harness.sim.openPullRequest(repo, {
    branch: 'feature',
    title: 'Add backups',
    author: 'alice',
    files,
  });
  const headSha = harness.sim.headCommit(repo, pull).sha;
  await waitForScan(harness.sim, repo, headSha, TIMEOUT_MS);
  return { repo, pull, headSha };
}

/** The one thread Warden's review opened on the pull request. */
function findingThread(repo: RepositoryState, pull: PullRequestState) {
  const threads = harness.sim.reviewThreads(repo, pull);
  expect(threads).toHaveLength(1);
  expect(threads[0].comments[0].user.login).toBe(harness.sim.bot.login);
  return threads[0];
}

describe('merge queue', () => {
  test(
    "a group gets a completed Warden run on its own commit, failing on the group's new finding, and no review",
    async () => {
      const { repo, pull } = await openScannedPull({ 'service.py': SERVICE });
      const reviewsBefore = harness.sim.reviews(repo, pull).length;

      const { group, delivery } = await harness.sim.enqueueInMergeQueue(repo, pull);
      expect(delivery?.status).toBe(200);
      await waitForScan(harness.sim, repo, group.headSha, TIMEOUT_MS);

      const runs = harness.sim.checkRuns(repo, group.headSha);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ name: 'Warden', status: 'completed', conclusion: 'failure' });
      expect(runs[0].externalId).toBe(group.headRef);
      expect(runs[0].annotations).toEqual([expect.objectContaining({ path: 'service.py', start_line: 10 })]);
      expect(harness.sim.reviews(repo, pull)).toHaveLength(reviewsBefore);
      expect(harness.sim.rejections.slice(rejectionsBefore)).toEqual([]);
    },
    TIMEOUT_MS * 2,
  );

  test(
    'a clean group passes, so a queue that requires Warden can merge it',
    async () => {
      const { repo, pull } = await openScannedPull({ 'service.py': FIXED });
      const { group } = await harness.sim.enqueueInMergeQueue(repo, pull);
      await waitForScan(harness.sim, repo, group.headSha, TIMEOUT_MS);
      expect(harness.sim.checkRuns(repo, group.headSha)).toEqual([
        expect.objectContaining({ name: 'Warden', status: 'completed', conclusion: 'success' }),
      ]);
    },
    TIMEOUT_MS * 2,
  );
});

describe('review threads', () => {
  test(
    "/warden accept-risk resolves the finding's thread and /warden reopen unresolves it",
    async () => {
      const { repo, pull } = await openScannedPull({ 'service.py': SERVICE });
      const thread = findingThread(repo, pull);
      expect(thread.isResolved).toBe(false);

      await harness.sim.replyToReviewComment(repo, pull, {
        parentId: thread.comments[0].id,
        author: MAINTAINER,
        body: '/warden accept-risk the directory comes from our own job table',
      });
      await harness.sim.waitFor('the thread resolved', () => findingThread(repo, pull).isResolved, TIMEOUT_MS);
      expect(findingThread(repo, pull)).toMatchObject({ resolvedBy: harness.sim.bot.login });
      expect(findingThread(repo, pull).comments[0].minimized).toEqual({ reason: 'RESOLVED' });

      await harness.sim.replyToReviewComment(repo, pull, {
        parentId: thread.comments[0].id,
        author: MAINTAINER,
        body: '/warden reopen',
      });
      await harness.sim.waitFor('the thread reopened', () => !findingThread(repo, pull).isResolved, TIMEOUT_MS);
      expect(findingThread(repo, pull).comments[0].minimized).toBeNull();
      expect(harness.sim.rejections.slice(rejectionsBefore)).toEqual([]);
    },
    TIMEOUT_MS * 2,
  );

  test(
    'a push that fixes the finding resolves its thread',
    async () => {
      const { repo, pull } = await openScannedPull({ 'service.py': SERVICE });
      expect(findingThread(repo, pull).isResolved).toBe(false);

      const { commit } = await harness.sim.pushToPullRequest(repo, pull, 'Run tar without a shell', {
        'service.py': FIXED,
      });
      await waitForScan(harness.sim, repo, commit.sha, TIMEOUT_MS);

      expect(findingThread(repo, pull)).toMatchObject({ isResolved: true, resolvedBy: harness.sim.bot.login });
      expect(findingThread(repo, pull).comments[0].body).toContain('Fixed in');
      expect(harness.sim.rejections.slice(rejectionsBefore)).toEqual([]);
    },
    TIMEOUT_MS * 2,
  );
});
