import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { PullRequestState, RepositoryState } from '../../dev/github-sim/index.js';
import { SCAN_QUIET_MS, waitForScan } from '../../dev/scan-watch.js';
import { SERVICE, startHarness, type Harness } from './harness.js';

/**
 * Slash commands and the re-run buttons, end to end: the built app against the GitHub
 * simulator, with real webhooks, permissions and reactions.
 */

const TIMEOUT_MS = 120_000;

let harness: Harness;
let repoCounter = 0;

beforeAll(async () => {
  // The app inherits this: short enough that a rescan right after the first scan is let through,
  // still a cooldown that the app enforces.
  process.env.WARDEN_RESCAN_COOLDOWN_SECONDS = '2';
  harness = await startHarness();
}, 180_000);

afterAll(async () => {
  await harness?.stop();
  delete process.env.WARDEN_RESCAN_COOLDOWN_SECONDS;
});

async function openScannedPull(): Promise<{ repo: RepositoryState; pull: PullRequestState; headSha: string }> {
  repoCounter++;
  const repo = harness.sim.createRepository('octo-org', `commands-${repoCounter}`, { 'README.md': '# service\n' });
  const { pull } = await harness.sim.openPullRequest(repo, {
    branch: 'feature',
    title: 'Add backups',
    author: 'alice',
    files: { 'service.py': SERVICE },
  });
  const headSha = harness.sim.headCommit(repo, pull).sha;
  await waitForScan(harness.sim, repo, headSha, TIMEOUT_MS);
  return { repo, pull, headSha };
}

function completedRuns(repo: RepositoryState, headSha: string): number {
  return harness.sim.checkRuns(repo, headSha).filter((run) => run.status === 'completed').length;
}

/** Waits for one more completed Warden run on the head than there were before `action`. */
async function expectNewCompletedRun(
  repo: RepositoryState,
  headSha: string,
  action: () => Promise<unknown>,
): Promise<void> {
  const before = completedRuns(repo, headSha);
  await action();
  await harness.sim.waitFor('a new completed check run', () => completedRuns(repo, headSha) > before, TIMEOUT_MS);
  await harness.sim.waitForQuiet(SCAN_QUIET_MS);
  expect(completedRuns(repo, headSha)).toBe(before + 1);
  expect(harness.sim.checkRuns(repo, headSha).at(-1)).toMatchObject({
    name: 'Warden',
    status: 'completed',
    conclusion: 'failure',
  });
}

describe('slash commands', () => {
  test(
    'a rescan by a user without write access gets one reply and nothing else',
    async () => {
      const { repo, pull, headSha } = await openScannedPull();
      harness.sim.setPermission(repo, 'visitor', 'read');
      const runsBefore = harness.sim.checkRuns(repo, headSha).length;
      const reviewsBefore = harness.sim.reviews(repo, pull).length;

      const { comment, delivery } = await harness.sim.commentOnPullRequest(repo, pull, 'visitor', '/warden rescan');
      expect(delivery?.status).toBe(200);
      await harness.sim.waitForQuiet(SCAN_QUIET_MS);
      // And again: still the one reply.
      await harness.sim.commentOnPullRequest(repo, pull, 'visitor', 'Please?\n/warden rescan');
      await harness.sim.waitForQuiet(SCAN_QUIET_MS);

      const replies = harness.sim.issueComments(repo, pull).filter((entry) => entry.user.type === 'Bot');
      expect(replies).toHaveLength(1);
      expect(replies[0].body).toContain('@visitor');
      expect(replies[0].body).toContain('write, maintain or admin access');
      expect(comment.reactions).toEqual([]);
      expect(harness.sim.checkRuns(repo, headSha)).toHaveLength(runsBefore);
      expect(harness.sim.reviews(repo, pull)).toHaveLength(reviewsBefore);
      expect(harness.sim.rejections).toEqual([]);
    },
    TIMEOUT_MS * 2,
  );

  test(
    'an authorized rescan gives a new completed check run, 👀 and 🚀, and re-posts nothing',
    async () => {
      const { repo, pull, headSha } = await openScannedPull();
      harness.sim.setPermission(repo, 'maintainer', 'maintain');
      const commentsBefore = harness.sim.reviewComments(repo, pull).length;
      expect(commentsBefore).toBeGreaterThan(0);

      let comment: { reactions: { content: string }[] } | undefined;
      await expectNewCompletedRun(repo, headSha, async () => {
        ({ comment } = await harness.sim.commentOnPullRequest(repo, pull, 'maintainer', '/warden rescan'));
      });

      expect(comment!.reactions.map((reaction) => reaction.content).sort()).toEqual(['eyes', 'rocket']);
      expect(harness.sim.reviewComments(repo, pull)).toHaveLength(commentsBefore);
      expect(harness.sim.issueComments(repo, pull).filter((entry) => entry.user.type === 'Bot')).toEqual([]);
      expect(harness.sim.rejections).toEqual([]);
    },
    TIMEOUT_MS * 2,
  );

  test(
    'the Rescan button and Re-run each give a new completed check run',
    async () => {
      const { repo, headSha } = await openScannedPull();
      harness.sim.setPermission(repo, 'maintainer', 'write');
      await expectNewCompletedRun(repo, headSha, () =>
        harness.sim.pressCheckRunAction(repo, harness.sim.checkRuns(repo, headSha).at(-1)!, 'rescan', 'maintainer'),
      );
      await expectNewCompletedRun(repo, headSha, () =>
        harness.sim.rerequestCheckRun(repo, harness.sim.checkRuns(repo, headSha).at(-1)!, 'maintainer'),
      );
      expect(harness.sim.rejections).toEqual([]);
    },
    TIMEOUT_MS * 3,
  );
});
