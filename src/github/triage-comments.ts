import { readState, type MarkerKey } from '../report/markers.js';
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

/** Whether we already told `login` on this pull request who may run commands (all pages). */
export async function wasRefusedBefore(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  login: string,
  identity: AppIdentity,
  key: MarkerKey,
): Promise<boolean> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  return comments.some(
    (comment) => isOwn(comment, identity) && readState(comment.body ?? '', key)?.refused === login.toLowerCase(),
  );
}

/** A review comment of ours about one finding, as a triage reply finds it. */
export interface FindingComment {
  id: number;
  nodeId: string;
  body: string;
  fingerprint: string;
}

/** The comment a reply answers, when it is one of ours about a finding. */
export async function findingCommentOf(
  octokit: GitHubClient,
  repo: RepoRef,
  commentId: number,
  identity: AppIdentity,
  key: MarkerKey,
): Promise<FindingComment | undefined> {
  const { data } = await octokit.rest.pulls.getReviewComment({ ...repo, comment_id: commentId });
  if (!isOwn(data, identity)) return undefined;
  const state = readState(data.body, key);
  if (!state?.fingerprint || !state.rule) return undefined;
  return { id: data.id, nodeId: data.node_id, body: data.body, fingerprint: state.fingerprint };
}

/** Rewrites our comment, then folds it away (dismissed) or unfolds it (reopened). */
export async function updateFindingComment(
  octokit: GitHubClient,
  repo: RepoRef,
  comment: FindingComment,
  body: string,
  minimized: boolean,
): Promise<void> {
  await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: comment.id, body });
  await setCommentMinimized(octokit, comment.nodeId, minimized);
}
