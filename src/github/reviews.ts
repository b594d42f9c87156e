import type { GitHubClient, RepoRef } from './client.js';
import { isOwn, type AppIdentity } from './identity.js';

/** An inline comment as `pulls.createReview` takes it: on the new side, or (`LEFT`) on a removed line. */
export interface ReviewComment {
  path: string;
  line: number;
  side: 'LEFT' | 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
}

export interface ReviewDraft {
  body: string;
  comments: ReviewComment[];
  /** The body to post instead when GitHub rejects the inline comments, with them folded in. */
  bodyWithoutComments: string;
}

/** One of Warden's own inline comments on a pull request, as GitHub lists it. */
export interface OwnReviewComment {
  id: number;
  nodeId: string;
  path: string;
  body: string;
  /** A person answered it: the thread is theirs now and is never edited or hidden. */
  hasHumanReply: boolean;
}

/** Warden's own inline comments (all pages); what they say is for the caller to read. */
export async function listOwnReviewComments(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  identity: AppIdentity,
): Promise<OwnReviewComment[]> {
  const all = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const repliedByHuman = new Set(
    all
      .filter((comment) => comment.in_reply_to_id !== undefined && comment.user?.type !== 'Bot')
      .map((comment) => comment.in_reply_to_id),
  );
  return all
    .filter((comment) => isOwn(comment, identity))
    .map((comment) => ({
      id: comment.id,
      nodeId: comment.node_id,
      path: comment.path,
      body: comment.body,
      hasHumanReply: repliedByHuman.has(comment.id),
    }));
}

/** The bodies of Warden's own earlier reviews on a pull request (all pages). */
export async function listOwnReviewBodies(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  identity: AppIdentity,
): Promise<string[]> {
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return reviews.filter((review) => isOwn(review, identity)).map((review) => review.body ?? '');
}

export type ReviewPosting = 'with-comments' | 'without-comments';

/**
 * Posts one COMMENT review at the scanned commit. One bad anchor makes GitHub reject the whole
 * review with a 422, so on a 422 it is posted once more with every finding in the body. The
 * event is always given, so no PENDING review is ever left behind.
 */
export async function postReview(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  commitId: string,
  draft: ReviewDraft,
): Promise<ReviewPosting> {
  const base = { ...repo, pull_number: pullNumber, commit_id: commitId, event: 'COMMENT' as const };
  if (draft.comments.length === 0) {
    await octokit.rest.pulls.createReview({ ...base, body: draft.body });
    return 'without-comments';
  }
  try {
    await octokit.rest.pulls.createReview({ ...base, body: draft.body, comments: draft.comments });
    return 'with-comments';
  } catch (error) {
    if ((error as { status?: number }).status !== 422) throw error;
    await octokit.rest.pulls.createReview({ ...base, body: draft.bodyWithoutComments });
    return 'without-comments';
  }
}

/** Rewrites a comment whose finding is gone and folds it away as resolved. */
export async function resolvePostedComment(
  octokit: GitHubClient,
  repo: RepoRef,
  comment: Pick<OwnReviewComment, 'id' | 'nodeId'>,
  body: string,
): Promise<void> {
  await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: comment.id, body });
  await setCommentMinimized(octokit, comment.nodeId, true);
}

/** Folds a comment away as resolved, or unfolds it. */
export async function setCommentMinimized(octokit: GitHubClient, nodeId: string, minimized: boolean): Promise<void> {
  const mutation = minimized
    ? 'mutation($id: ID!) { minimizeComment(input: { subjectId: $id, classifier: RESOLVED }) { minimizedComment { isMinimized } } }'
    : 'mutation($id: ID!) { unminimizeComment(input: { subjectId: $id }) { unminimizedComment { isMinimized } } }';
  await octokit.graphql(mutation, { id: nodeId });
}
