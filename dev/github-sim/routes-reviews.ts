import type { PullRequestState, RepositoryState, ReviewState, SimUser } from './entities.js';
import { ApiError, json, notFound, paginate, unprocessable, type ApiRequest } from './http.js';
import { anchor, commitForReview, newReviewComment } from './review-placement.js';
import { reviewJson } from './serialize.js';
import { checkBodyLength, routeSupport, type Body, type Register } from './route-support.js';
import type { SimContext } from './context.js';

function reviewOf(repo: RepositoryState, pull: PullRequestState, request: ApiRequest): ReviewState {
  const review = repo.reviews.find(
    (candidate) => candidate.id === Number(request.params.review_id) && candidate.pullNumber === pull.number,
  );
  if (!review) throw notFound();
  return review;
}

const REVIEW_STATES: Record<string, ReviewState['state']> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

function checkReviewEvent(
  event: string | undefined,
  body: string,
  commentCount: number,
  pull: PullRequestState,
  user: SimUser,
): void {
  if ((event === 'REQUEST_CHANGES' || (event === 'COMMENT' && commentCount === 0)) && body.trim() === '') {
    throw unprocessable('Unprocessable Entity', [
      `Review Can not ${event === 'COMMENT' ? 'comment' : 'request changes'} on a pull request without a body`,
    ]);
  }
  if ((event === 'REQUEST_CHANGES' || event === 'APPROVE') && pull.user.login === user.login) {
    throw unprocessable('Unprocessable Entity', [
      `Review Can not ${event === 'APPROVE' ? 'approve' : 'request changes on'} your own pull request`,
    ]);
  }
}

/** Reviews: list, create (with every anchor checked), update, delete, submit. */
export function reviewRoutes(sim: SimContext, on: Register): void {
  const { repoOf, pullOf, actorOf, requireWrite, commentJson } = routeSupport(sim);
  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const visible = sim
      .reviews(repo, pull)
      .filter((review) => review.state !== 'PENDING' || review.user.login === request.actor?.login);
    return paginate(
      request,
      visible.map((review) => reviewJson(repo, review, sim.urls)),
    );
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', (request) => {
    const repo = repoOf(request);
    requireWrite('pull_requests');
    const pull = pullOf(repo, request);
    const user = actorOf(request);
    const body = request.body as Body;
    const text = typeof body.body === 'string' ? body.body : '';
    checkBodyLength(text, 'PullRequestReview');
    const event = body.event as string | undefined;
    const comments = (body.comments as Body[] | undefined) ?? [];
    checkReviewEvent(event, text, comments.length, pull, user);
    if (
      !event &&
      sim.reviews(repo, pull).some((review) => review.state === 'PENDING' && review.user.login === user.login)
    ) {
      throw unprocessable('Unprocessable Entity', ['User can only have one pending review per pull request']);
    }
    const target = { sim, repo, pull };
    const commit = commitForReview(target, body.commit_id);
    // One comment GitHub cannot place fails the whole review: nothing is created.
    const anchors = comments.map((comment) => {
      checkBodyLength(comment.body, 'PullRequestReviewComment');
      return anchor(target, commit, comment);
    });
    const review: ReviewState = {
      id: sim.newId(),
      pullNumber: pull.number,
      user,
      body: text,
      state: event ? REVIEW_STATES[event] : 'PENDING',
      commitId: commit.sha,
      submittedAt: event ? sim.now() : null,
    };
    repo.reviews.push(review);
    anchors.forEach((place, index) =>
      repo.reviewComments.push(
        newReviewComment(target, {
          commit,
          place,
          body: String(comments[index].body),
          user,
          reviewId: review.id,
          inReplyToId: null,
        }),
      ),
    );
    return json(reviewJson(repo, review, sim.urls));
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (request) => {
    const repo = repoOf(request);
    return json(reviewJson(repo, reviewOf(repo, pullOf(repo, request), request), sim.urls));
  });

  on('PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (request) => {
    const repo = repoOf(request);
    const review = reviewOf(repo, pullOf(repo, request), request);
    if (review.user.login !== actorOf(request).login) throw new ApiError(403, 'Resource not accessible by integration');
    const text = String((request.body as Body).body);
    checkBodyLength(text, 'PullRequestReview');
    review.body = text;
    return json(reviewJson(repo, review, sim.urls));
  });

  on('DELETE /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (request) => {
    const repo = repoOf(request);
    const review = reviewOf(repo, pullOf(repo, request), request);
    if (review.state !== 'PENDING')
      throw unprocessable('Unprocessable Entity', ['Can not delete a non-pending pull request review']);
    repo.reviews.splice(repo.reviews.indexOf(review), 1);
    repo.reviewComments = repo.reviewComments.filter((comment) => comment.reviewId !== review.id);
    return json(reviewJson(repo, review, sim.urls));
  });

  on('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events', (request) => {
    const repo = repoOf(request);
    const pull = pullOf(repo, request);
    const review = reviewOf(repo, pull, request);
    if (review.state !== 'PENDING')
      throw unprocessable('Unprocessable Entity', ['Can not submit a non-pending pull request review']);
    const body = request.body as Body;
    const text = typeof body.body === 'string' ? body.body : review.body;
    const event = String(body.event);
    const commentCount = repo.reviewComments.filter((comment) => comment.reviewId === review.id).length;
    checkReviewEvent(event, text, commentCount, pull, review.user);
    review.body = text;
    review.state = REVIEW_STATES[event]!;
    review.submittedAt = sim.now();
    return json(reviewJson(repo, review, sim.urls));
  });

  on('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments', (request) => {
    const repo = repoOf(request);
    const review = reviewOf(repo, pullOf(repo, request), request);
    return paginate(
      request,
      repo.reviewComments
        .filter((comment) => comment.reviewId === review.id)
        .map((comment) => commentJson(repo, comment)),
    );
  });
}
