import type { GitHubClient, RepoRef } from './client.js';
import { isOwn, type AppIdentity } from './identity.js';
import { setCommentMinimized } from './reviews.js';

/** Replies in a pull request's conversation. */
export async function replyOnPullRequest(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  body: string,
): Promise<void> {
  await octokit.rest.issues.createComment({ ...repo, issue_number: pullNumber, body });
}

/** The bodies of Warden's own comments in a pull request's conversation (all pages). */
export async function listOwnConversationBodies(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  identity: AppIdentity,
): Promise<string[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  return comments.filter((comment) => isOwn(comment, identity)).map((comment) => comment.body ?? '');
}

/** A review comment of Warden's, as a triage reply finds it. */
export interface OwnComment {
  id: number;
  nodeId: string;
  body: string;
}

/** The review comment a reply answers, when Warden wrote it. */
export async function ownReviewComment(
  octokit: GitHubClient,
  repo: RepoRef,
  commentId: number,
  identity: AppIdentity,
): Promise<OwnComment | undefined> {
  const { data } = await octokit.rest.pulls.getReviewComment({ ...repo, comment_id: commentId });
  return isOwn(data, identity) ? { id: data.id, nodeId: data.node_id, body: data.body } : undefined;
}

/** Rewrites our comment, then folds it away (dismissed) or unfolds it (reopened). */
export async function updateOwnComment(
  octokit: GitHubClient,
  repo: RepoRef,
  comment: OwnComment,
  body: string,
  minimized: boolean,
): Promise<void> {
  await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: comment.id, body });
  await setCommentMinimized(octokit, comment.nodeId, minimized);
}
