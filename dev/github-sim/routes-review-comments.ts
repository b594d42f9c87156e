import type { RepositoryState, ReviewCommentState, SimUser } from './entities.js';
import { ApiError, json, notFound, paginate, type ApiRequest, type ApiResponse } from './http.js';
import { anchor, commitForReview, newReviewComment, replyInThread, singleCommentReview } from './review-placement.js';
import { checkBodyLength, routeSupport, type Body, type Register } from './route-support.js';
import type { SimContext } from './context.js';

/** The review comments the caller may see: not those of someone else's pending review. */
function visibleReviewComments(repo: RepositoryState, request: ApiRequest): ReviewCommentState[] {
  const pending = new Set(
    repo.reviews
      .filter((review) => review.state === 'PENDING' && review.user.login !== request.actor?.login)
      .map((review) => review.id),
  );
  return repo.reviewComments.filter((comment) => !pending.has(comment.reviewId));
}

export function reviewCommentOf(repo: RepositoryState, request: ApiRequest): ReviewCommentState {
  const comment = visibleReviewComments(repo, request).find(
    (candidate) => candidate.id === Number(request.params.comment_id),
  );
  if (!comment) throw notFound();
  return comment;
}

/** Only the author may edit a comment; an app edits its own bot's comments. */
export function editOwnComment<T extends { user: SimUser; body: string; updatedAt: string }>(
  sim: SimContext,
  comment: T,
  request: ApiRequest,
  resource: string,
): T {
  if (comment.user.login !== routeSupport(sim).actorOf(request).login)
    throw new ApiError(403, 'Resource not accessible by integration');
  const text = (request.body as Body).body;
  checkBodyLength(text, resource);
  comment.body = String(text);
  comment.updatedAt = sim.now();
  return comment;
}

/** Review comments: list, post (on a line, or as a reply), read, edit, delete. */
export function reviewCommentRoutes(sim: SimContext, on: Register): void {
  const { repoOf, pullOf, actorOf, requireWrite, commentJson } = routeSupport(sim);
  const created = (repo: RepositoryState, comment: ReviewCommentState): ApiResponse =>
    json(commentJson(repo, comment), 201);

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const comments = visibleReviewComments(repo, request).filter((comment) => comment.pullNumber === pull.number);
    return paginate(
      request,
      comments.map((comment) => commentJson(repo, comment)),
    );
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/comments', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const target = { sim, repo, pull: pullOf(repo, request) };
    const user = actorOf(request);
    const body = request.body as Body;
    checkBodyLength(body.body, 'PullRequestReviewComment');
    const text = String(body.body);
    if (typeof body.in_reply_to === 'number') return created(repo, replyInThread(target, body.in_reply_to, text, user));
    const commit = commitForReview(target, body.commit_id);
    const place = anchor(target, commit, body);
    const review = singleCommentReview(target, user, commit.sha);
    const comment = newReviewComment(target, {
      commit,
      place,
      body: text,
      user,
      reviewId: review.id,
      inReplyToId: null,
    });
    repo.reviewComments.push(comment);
    return created(repo, comment);
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const body = request.body as Body;
    checkBodyLength(body.body, 'PullRequestReviewComment');
    const target = { sim, repo, pull: pullOf(repo, request) };
    return created(repo, replyInThread(target, Number(request.params.comment_id), String(body.body), actorOf(request)));
  });

  on('GET /repos/{owner}/{repo}/pulls/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    return json(commentJson(repo, reviewCommentOf(repo, request)));
  });

  on('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const comment = editOwnComment(sim, reviewCommentOf(repo, request), request, 'PullRequestReviewComment');
    return json(commentJson(repo, comment));
  });

  on('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', (request) => {
    const repo = repoOf(request);
    const comment = reviewCommentOf(repo, request);
    if (comment.user.login !== actorOf(request).login)
      throw new ApiError(403, 'Resource not accessible by integration');
    repo.reviewComments.splice(repo.reviewComments.indexOf(comment), 1);
    return { status: 204 };
  });
}
