import type { PullRequestState, RepositoryState, ReviewCommentState, ReviewState, SimUser } from './entities.js';
import { diffHunkText, fileHunks, positionToLine, type Commit } from './git-store.js';
import { notFound, unprocessable } from './http.js';
import { routeSupport, type Body } from './route-support.js';
import type { SimContext } from './context.js';

/** A pull request of a repository, and the simulator holding them. */
export interface OnPull {
  sim: SimContext;
  repo: RepositoryState;
  pull: PullRequestState;
}

export interface Anchor {
  path: string;
  line: number;
  side: 'LEFT' | 'RIGHT';
  startLine: number | null;
  startSide: 'LEFT' | 'RIGHT' | null;
}

/** Places a comment on the PR's diff at `commit`, or explains why GitHub would refuse it. */
export function anchor({ sim, repo, pull }: OnPull, commit: Commit, comment: Body): Anchor {
  const path = String(comment.path);
  const base = sim.mergeBase(repo, pull);
  const changed = repo.store.changedFiles(base.sha, commit.sha, sim.urls.api).find((file) => file.filename === path);
  if (!changed) throw unprocessable('Unprocessable Entity', ['Path could not be resolved']);
  let line: number;
  let side: 'LEFT' | 'RIGHT';
  if (typeof comment.line === 'number') {
    line = comment.line;
    side = comment.side === 'LEFT' ? 'LEFT' : 'RIGHT';
    if (comment.side !== undefined && comment.side !== 'LEFT' && comment.side !== 'RIGHT')
      throw unprocessable('Unprocessable Entity', ['side must be LEFT or RIGHT']);
  } else if (typeof comment.position === 'number') {
    const placed = changed.patch ? positionToLine(changed.patch, comment.position) : undefined;
    if (!placed) throw unprocessable('Unprocessable Entity', ['Position could not be resolved']);
    ({ line, side } = placed);
  } else {
    throw unprocessable('Unprocessable Entity', ['Either line or position must be given']);
  }
  const hunks = fileHunks(base, commit, path);
  const hunkIndex = hunks.findIndex((hunk) => {
    const range = side === 'RIGHT' ? hunk.right : hunk.left;
    return line >= range.start && line <= range.end;
  });
  if (hunkIndex < 0) throw unprocessable('Unprocessable Entity', ['Line could not be resolved']);
  let startLine: number | null = null;
  let startSide: 'LEFT' | 'RIGHT' | null = null;
  if (typeof comment.start_line === 'number') {
    startLine = comment.start_line;
    startSide = comment.start_side === 'LEFT' ? 'LEFT' : comment.start_side === 'RIGHT' ? 'RIGHT' : side;
    if (startLine >= line && startSide === side)
      throw unprocessable('Unprocessable Entity', ['start_line must precede the end line.']);
    const range = startSide === 'RIGHT' ? hunks[hunkIndex].right : hunks[hunkIndex].left;
    if (startLine < range.start || startLine > range.end)
      throw unprocessable('Unprocessable Entity', ['start_line must be part of the same hunk as the line.']);
  }
  return { path, line, side, startLine, startSide };
}

/** The commit a review or comment is about: the one it names, which must be the PR's, else the head. */
export function commitForReview({ sim, repo, pull }: OnPull, commitId: unknown): Commit {
  if (commitId === undefined) return sim.headCommit(repo, pull);
  const commit = routeSupport(sim).commitOf(repo, typeof commitId === 'string' ? commitId : JSON.stringify(commitId));
  if (!sim.pullCommits(repo, pull).some((candidate) => candidate.sha === commit.sha)) {
    throw unprocessable('Unprocessable Entity', ['commit_id is not part of the pull request']);
  }
  return commit;
}

/** What a new review comment says, where, and in which review and thread. */
export interface NewReviewComment {
  commit: Commit;
  place: Anchor;
  body: string;
  user: SimUser;
  reviewId: number;
  inReplyToId: number | null;
}

export function newReviewComment({ sim, repo, pull }: OnPull, comment: NewReviewComment): ReviewCommentState {
  const { commit, place, body, user, reviewId, inReplyToId } = comment;
  const timestamp = sim.now();
  return {
    id: sim.newId(),
    reviewId,
    pullNumber: pull.number,
    ...place,
    body,
    commitId: commit.sha,
    diffHunk: diffHunkText(sim.mergeBase(repo, pull), commit, place.path, place.line, place.side),
    user,
    inReplyToId,
    createdAt: timestamp,
    updatedAt: timestamp,
    minimized: null,
    reactions: [],
    resolvedBy: null,
  };
}

/** The submitted review GitHub creates around a comment posted on its own (or a reply). */
export function singleCommentReview({ sim, repo, pull }: OnPull, user: SimUser, commitId: string): ReviewState {
  const review: ReviewState = {
    id: sim.newId(),
    pullNumber: pull.number,
    user,
    body: '',
    state: 'COMMENTED',
    commitId,
    submittedAt: sim.now(),
  };
  repo.reviews.push(review);
  return review;
}

/** A reply in the thread of `parentId` (GitHub threads replies to replies under the thread's first comment). */
export function replyInThread(target: OnPull, parentId: number, text: string, user: SimUser): ReviewCommentState {
  const { repo, pull } = target;
  const parent = repo.reviewComments.find((comment) => comment.id === parentId && comment.pullNumber === pull.number);
  if (!parent) throw notFound();
  const commit = repo.store.commit(parent.commitId)!;
  const review = singleCommentReview(target, user, commit.sha);
  const place = {
    path: parent.path,
    line: parent.line,
    side: parent.side,
    startLine: parent.startLine,
    startSide: parent.startSide,
  };
  const comment = newReviewComment(target, {
    commit,
    place,
    body: text,
    user,
    reviewId: review.id,
    inReplyToId: parent.inReplyToId ?? parent.id,
  });
  repo.reviewComments.push(comment);
  return comment;
}
