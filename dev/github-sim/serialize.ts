import type {
  CheckRunState,
  IssueCommentState,
  PullRequestState,
  ReactionState,
  RepositoryState,
  ReviewCommentState,
  ReviewState,
  SimUser,
} from './entities.js';
import { NODE_PREFIX, nodeId } from './entities.js';
import type { Delivery } from './webhooks.js';

/** Where links in responses point: the simulator's REST root and its "web" root. */
export interface UrlRoots {
  api: string;
  web: string;
}

export function userJson(user: SimUser, urls: UrlRoots): Record<string, unknown> {
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Bot' ? NODE_PREFIX.bot : NODE_PREFIX.user, user.id),
    avatar_url: `${urls.web}/avatars/${user.id}`,
    gravatar_id: '',
    url: `${urls.api}/users/${encodeURIComponent(user.login)}`,
    html_url: `${urls.web}/${encodeURIComponent(user.login)}`,
    type: user.type,
    site_admin: false,
  };
}

export function repositoryJson(repo: RepositoryState, owner: SimUser, urls: UrlRoots): Record<string, unknown> {
  const { store } = repo;
  const fullName = `${store.owner}/${store.name}`;
  return {
    id: repo.id,
    node_id: nodeId(NODE_PREFIX.repository, repo.id),
    name: store.name,
    full_name: fullName,
    private: false,
    owner: userJson(owner, urls),
    html_url: `${urls.web}/${fullName}`,
    description: null,
    fork: false,
    url: `${urls.api}/repos/${fullName}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    pushed_at: '2026-01-01T00:00:00Z',
    default_branch: store.defaultBranch,
    visibility: 'public',
    archived: false,
    disabled: false,
  };
}

function refJson(
  repo: RepositoryState,
  owner: SimUser,
  ref: string,
  sha: string,
  urls: UrlRoots,
): Record<string, unknown> {
  return {
    label: `${repo.store.owner}:${ref}`,
    ref,
    sha,
    user: userJson(owner, urls),
    repo: repositoryJson(repo, owner, urls),
  };
}

export interface PullRequestFacts {
  headSha: string;
  baseSha: string;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

export function pullRequestJson(
  repo: RepositoryState,
  owner: SimUser,
  pull: PullRequestState,
  facts: PullRequestFacts,
  urls: UrlRoots,
): Record<string, unknown> {
  const fullName = `${repo.store.owner}/${repo.store.name}`;
  const apiUrl = `${urls.api}/repos/${fullName}/pulls/${pull.number}`;
  const htmlUrl = `${urls.web}/${fullName}/pull/${pull.number}`;
  return {
    url: apiUrl,
    id: pull.id,
    node_id: nodeId(NODE_PREFIX.pullRequest, pull.id),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: `${urls.api}/repos/${fullName}/issues/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(pull.user, urls),
    body: pull.body,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    labels: [],
    milestone: null,
    draft: false,
    commits_url: `${apiUrl}/commits`,
    review_comments_url: `${apiUrl}/comments`,
    review_comment_url: `${urls.api}/repos/${fullName}/pulls/comments{/number}`,
    comments_url: `${urls.api}/repos/${fullName}/issues/${pull.number}/comments`,
    statuses_url: `${urls.api}/repos/${fullName}/statuses/${facts.headSha}`,
    head: refJson(repo, owner, pull.headRef, facts.headSha, urls),
    base: refJson(repo, owner, pull.baseRef, facts.baseSha, urls),
    _links: { self: { href: apiUrl }, html: { href: htmlUrl } },
    author_association: 'CONTRIBUTOR',
    auto_merge: null,
    active_lock_reason: null,
    merged: false,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: repo.issueComments.filter((c) => c.issueNumber === pull.number).length,
    review_comments: repo.reviewComments.filter((c) => c.pullNumber === pull.number).length,
    maintainer_can_modify: false,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}

export function checkRunJson(
  repo: RepositoryState,
  run: CheckRunState,
  app: Record<string, unknown>,
  pulls: Record<string, unknown>[],
  urls: UrlRoots,
): Record<string, unknown> {
  const fullName = `${repo.store.owner}/${repo.store.name}`;
  return {
    id: run.id,
    node_id: nodeId(NODE_PREFIX.checkRun, run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: `${urls.api}/repos/${fullName}/check-runs/${run.id}`,
    html_url: `${urls.web}/${fullName}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${urls.api}/repos/${fullName}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 500_000 },
    app,
    pull_requests: pulls,
  };
}

function reactionsSummary(reactions: ReactionState[], url: string): Record<string, unknown> {
  const count = (content: string): number => reactions.filter((r) => r.content === content).length;
  return {
    url,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    hooray: count('hooray'),
    confused: count('confused'),
    heart: count('heart'),
    rocket: count('rocket'),
    eyes: count('eyes'),
  };
}

export function reactionJson(reaction: ReactionState, urls: UrlRoots): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: nodeId('REA', reaction.id),
    user: userJson(reaction.user, urls),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}

export function reviewJson(repo: RepositoryState, review: ReviewState, urls: UrlRoots): Record<string, unknown> {
  const fullName = `${repo.store.owner}/${repo.store.name}`;
  const htmlUrl = `${urls.web}/${fullName}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const pullUrl = `${urls.api}/repos/${fullName}/pulls/${review.pullNumber}`;
  const json: Record<string, unknown> = {
    id: review.id,
    node_id: nodeId(NODE_PREFIX.review, review.id),
    user: userJson(review.user, urls),
    body: review.body,
    state: review.state,
    html_url: htmlUrl,
    pull_request_url: pullUrl,
    _links: { html: { href: htmlUrl }, pull_request: { href: pullUrl } },
    commit_id: review.commitId,
    author_association: review.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
  };
  if (review.submittedAt) json.submitted_at = review.submittedAt;
  return json;
}

/** Where a review comment sits in the PR's current diff; all null when it is outdated. */
export interface CommentPlacement {
  line: number | null;
  startLine: number | null;
  position: number | null;
  originalPosition: number | null;
  commitId: string;
}

export function reviewCommentJson(
  repo: RepositoryState,
  comment: ReviewCommentState,
  urls: UrlRoots,
  placement: CommentPlacement,
): Record<string, unknown> {
  const fullName = `${repo.store.owner}/${repo.store.name}`;
  const url = `${urls.api}/repos/${fullName}/pulls/comments/${comment.id}`;
  const htmlUrl = `${urls.web}/${fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const pullUrl = `${urls.api}/repos/${fullName}/pulls/${comment.pullNumber}`;
  const json: Record<string, unknown> = {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: nodeId(NODE_PREFIX.reviewComment, comment.id),
    diff_hunk: comment.diffHunk,
    path: comment.path,
    position: placement.position,
    original_position: placement.originalPosition,
    commit_id: placement.commitId,
    original_commit_id: comment.commitId,
    user: userJson(comment.user, urls),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: htmlUrl,
    pull_request_url: pullUrl,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    _links: { self: { href: url }, html: { href: htmlUrl }, pull_request: { href: pullUrl } },
    reactions: reactionsSummary(comment.reactions, `${url}/reactions`),
    start_line: placement.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    line: placement.line,
    original_line: comment.line,
    side: comment.side,
    subject_type: 'line',
  };
  if (comment.inReplyToId !== null) json.in_reply_to_id = comment.inReplyToId;
  return json;
}

export function issueCommentJson(
  repo: RepositoryState,
  comment: IssueCommentState,
  urls: UrlRoots,
): Record<string, unknown> {
  const fullName = `${repo.store.owner}/${repo.store.name}`;
  const url = `${urls.api}/repos/${fullName}/issues/comments/${comment.id}`;
  return {
    url,
    html_url: `${urls.web}/${fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${urls.api}/repos/${fullName}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId(NODE_PREFIX.issueComment, comment.id),
    user: userJson(comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    body: comment.body,
    reactions: reactionsSummary(comment.reactions, `${url}/reactions`),
    performed_via_github_app: null,
  };
}

/** One attempt in the app's delivery log, as `GET /app/hook/deliveries` lists it. */
export function deliveryJson(delivery: Delivery): Record<string, unknown> {
  const ok = delivery.status >= 200 && delivery.status < 300;
  return {
    id: delivery.attemptId,
    guid: delivery.id,
    delivered_at: new Date(delivery.at).toISOString(),
    redelivery: delivery.redelivery === true,
    duration: delivery.durationMs / 1000,
    status: ok ? 'OK' : delivery.status === 0 ? 'Timed out' : `Invalid HTTP Response: ${delivery.status}`,
    status_code: delivery.status,
    event: delivery.event,
    action: delivery.action ?? null,
    installation_id: delivery.installationId,
    repository_id: null,
  };
}
