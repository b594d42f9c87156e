import type { GitHubClient, RepoRef } from './client.js';

/** An open pull request, with what a scan request needs of it. */
export interface OpenPullRequest {
  number: number;
  headSha: string;
  /** The base branch's tip. */
  baseSha: string;
  draft: boolean;
  /** The head lives in another repository (or in one deleted since). */
  fork: boolean;
  changedFiles: number;
}

const OPEN_PULLS_QUERY = `query($owner: String!, $name: String!, $first: Int!, $cursor: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: $first, after: $cursor, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes {
        number isDraft headRefOid baseRefOid changedFiles isCrossRepository
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface OpenPullsPage {
  repository: {
    pullRequests: {
      nodes: {
        number: number;
        isDraft: boolean;
        headRefOid: string;
        baseRefOid: string;
        changedFiles: number;
        isCrossRepository: boolean;
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
}

/** The newest `limit` open pull requests, newest first, in one GraphQL query per 100. */
export async function listNewestOpenPullRequests(
  octokit: GitHubClient,
  repo: RepoRef,
  limit: number,
): Promise<OpenPullRequest[]> {
  const pulls: OpenPullRequest[] = [];
  let cursor: string | null = null;
  while (pulls.length < limit) {
    const data: OpenPullsPage = await octokit.graphql(OPEN_PULLS_QUERY, {
      owner: repo.owner,
      name: repo.repo,
      first: Math.min(100, limit - pulls.length),
      cursor,
    });
    const { nodes, pageInfo } = data.repository.pullRequests;
    for (const node of nodes)
      pulls.push({
        number: node.number,
        headSha: node.headRefOid,
        baseSha: node.baseRefOid,
        draft: node.isDraft,
        fork: node.isCrossRepository,
        changedFiles: node.changedFiles,
      });
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
    cursor = pageInfo.endCursor;
  }
  return pulls.slice(0, limit);
}
