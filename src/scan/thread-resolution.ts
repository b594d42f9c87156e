import type { Logger } from 'pino';
import type { GitHubClient } from '../github/client.js';
import { settleReviewThreads, type ThreadsToSettle } from '../github/review-threads.js';

/**
 * Resolves or reopens the review threads of Warden's comments, on top of marking the comments
 * themselves. It is a courtesy to repositories that require conversation resolution, so a
 * failure (an installation without `contents: write`, which GitHub asks for here) is logged and
 * changes nothing else: the comments are already marked and folded, and the check run stands.
 */
export async function settleThreadsOrLog(octokit: GitHubClient, target: ThreadsToSettle, log: Logger): Promise<number> {
  try {
    return await settleReviewThreads(octokit, target);
  } catch (error) {
    log.warn(
      { err: error, pr: target.pullNumber, commentIds: target.commentIds, resolved: target.resolved },
      `cannot ${target.resolved ? 'resolve' : 'reopen'} the review threads of Warden's comments`,
    );
    return 0;
  }
}
