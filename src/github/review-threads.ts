import type { GitHubClient, RepoRef } from './client.js';

/** A pull request's review thread, known by the database id of the comment that opened it. */
export interface ReviewThread {
  id: string;
  isResolved: boolean;
  firstCommentId: number | undefined;
}

/** The threads of one pull request whose resolution follows Warden's comments that opened them. */
export interface ThreadsToSettle {
  repo: RepoRef;
  pullNumber: number;
  /** Ids of the comments of Warden's that opened the threads. */
  commentIds: readonly number[];
  /** True to resolve them (fixed, dismissed), false to reopen them (`/warden reopen`). */
  resolved: boolean;
}

/** 100 threads a page; a pull request with more than 3,000 threads is left partly untouched. */
const MAX_THREAD_PAGES = 30;

const THREADS_QUERY = `query($owner: String!, $name: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number | null }[] } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
  };
}

/** Every review thread of a pull request (all pages, up to `MAX_THREAD_PAGES`). */
export async function listReviewThreads(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
): Promise<ReviewThread[]> {
  const threads: ReviewThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_THREAD_PAGES; page++) {
    const data: ThreadsPage = await octokit.graphql(THREADS_QUERY, {
      owner: repo.owner,
      name: repo.repo,
      number: pullNumber,
      cursor,
    });
    const { nodes, pageInfo } = data.repository.pullRequest.reviewThreads;
    for (const node of nodes)
      threads.push({
        id: node.id,
        isResolved: node.isResolved,
        firstCommentId: node.comments.nodes[0]?.databaseId ?? undefined,
      });
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
    cursor = pageInfo.endCursor;
  }
  return threads;
}

/**
 * Resolves (or reopens) the threads opened by the given comments, so that a repository requiring
 * conversation resolution can merge once Warden's findings are fixed or dismissed. A thread
 * already in that state costs no call. Returns how many threads changed; the first failure
 * (GitHub asks app tokens for `contents: write` here) is thrown, and no further call is tried.
 */
export async function settleReviewThreads(octokit: GitHubClient, target: ThreadsToSettle): Promise<number> {
  if (target.commentIds.length === 0) return 0;
  const wanted = new Set(target.commentIds);
  const threads = (await listReviewThreads(octokit, target.repo, target.pullNumber)).filter(
    (thread) =>
      thread.firstCommentId !== undefined && wanted.has(thread.firstCommentId) && thread.isResolved !== target.resolved,
  );
  const mutation = target.resolved
    ? 'mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }'
    : 'mutation($id: ID!) { unresolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }';
  for (const thread of threads) await octokit.graphql(mutation, { id: thread.id });
  return threads.length;
}
