import type { IssueCommentState, RepositoryState, ReviewCommentState, SimUser } from './entities.js';
import { NODE_PREFIX, nodeId, parseNodeId } from './entities.js';
import { normalizePackageName, type SimAdvisory } from './advisories.js';
import { blobSha, isBinary, type Commit } from './git-store.js';
import { executeGraphQL, GraphQLFieldError, GraphQLSyntaxError, parseGraphQL, type GraphQLObject } from './graphql.js';
import { ApiError, json, type ApiResponse } from './http.js';
import type { CommentPlacement } from './serialize.js';
import { INSTALLATION_PERMISSIONS, type GitHubSimulator, type RecordedCall } from './simulator.js';

/** GraphQL `Blob.text` stops here; `isTruncated` says so. */
export const BLOB_TEXT_LIMIT = 512_000;

const CLASSIFIERS = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'];

type Args = Record<string, unknown>;

function actorObject(user: SimUser): GraphQLObject {
  return {
    __typename: user.type === 'Bot' ? 'Bot' : 'User',
    __implements: ['Actor', 'Node'],
    login: user.login,
    id: nodeId(user.type === 'Bot' ? NODE_PREFIX.bot : NODE_PREFIX.user, user.id),
  };
}

/** A connection over a list, with GitHub's `first`/`after` cursors (at most 100 per page). */
function connection<T>(items: T[], args: Args, toNode: (item: T) => GraphQLObject): GraphQLObject {
  const first = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  if (first === undefined)
    throw new GraphQLFieldError(
      'You must provide a `first` or `last` value to properly paginate the connection.',
      'MISSING_PAGINATION_BOUNDARIES',
    );
  if (first > 100)
    throw new GraphQLFieldError(
      `Requesting ${first} records on the connection exceeds the \`first\` limit of 100 records.`,
      'EXCESSIVE_PAGINATION',
    );
  const start =
    typeof args.after === 'string'
      ? Number(Buffer.from(args.after, 'base64').toString('utf8').replace('cursor:', '')) + 1
      : 0;
  const page = items.slice(start, start + first);
  const cursor = (index: number): string => Buffer.from(`cursor:${start + index}`).toString('base64');
  return {
    __typename: 'Connection',
    totalCount: items.length,
    nodes: page.map(toNode),
    edges: page.map((item, index) => ({ __typename: 'Edge', cursor: cursor(index), node: toNode(item) })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursor(0) : null,
      endCursor: page.length > 0 ? cursor(page.length - 1) : null,
    },
  };
}

function minimizedFields(comment: { minimized: { reason: string } | null }): Record<string, unknown> {
  return {
    isMinimized: comment.minimized !== null,
    minimizedReason: comment.minimized?.reason.toLowerCase() ?? null,
    viewerCanMinimize: true,
  };
}

/** The fields every kind of comment has in GitHub's schema. */
function commentFields(
  typename: string,
  prefix: string,
  comment: ReviewCommentState | IssueCommentState,
): GraphQLObject {
  return {
    __typename: typename,
    __implements: ['Comment', 'Minimizable', 'Node'],
    id: nodeId(prefix, comment.id),
    databaseId: comment.id,
    fullDatabaseId: String(comment.id),
    body: comment.body,
    createdAt: comment.createdAt,
    updatedAt: comment.updatedAt,
    author: actorObject(comment.user),
    ...minimizedFields(comment),
  };
}

function reviewCommentObject(
  comment: ReviewCommentState,
  placement: CommentPlacement,
  urls: { web: string },
): GraphQLObject {
  return {
    ...commentFields('PullRequestReviewComment', NODE_PREFIX.reviewComment, comment),
    path: comment.path,
    line: placement.line,
    originalLine: comment.line,
    startLine: placement.startLine,
    outdated: placement.line === null,
    url: `${urls.web}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
  };
}

function issueCommentObject(comment: IssueCommentState): GraphQLObject {
  return commentFields('IssueComment', NODE_PREFIX.issueComment, comment);
}

function blobObject(content: Buffer): GraphQLObject {
  const binary = isBinary(content);
  const truncated = content.length > BLOB_TEXT_LIMIT;
  return {
    __typename: 'Blob',
    __implements: ['GitObject', 'Node'],
    id: `B_${blobSha(content)}`,
    oid: blobSha(content),
    abbreviatedOid: blobSha(content).slice(0, 7),
    byteSize: content.length,
    isBinary: binary,
    isTruncated: truncated,
    // Cutting at a byte limit can split a character; GitHub drops the partial one.
    text: binary
      ? null
      : content
          .subarray(0, BLOB_TEXT_LIMIT)
          .toString('utf8')
          .replace(/\uFFFD$/, ''),
  };
}

function commitObject(commit: Commit): GraphQLObject {
  return {
    __typename: 'Commit',
    __implements: ['GitObject', 'Node'],
    id: `C_${commit.sha}`,
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message,
  };
}

function treeObject(commit: Commit, path: string): GraphQLObject | null {
  const prefix = path === '' ? '' : `${path}/`;
  const names = new Map<string, 'blob' | 'tree'>();
  for (const filePath of commit.files.keys()) {
    if (!filePath.startsWith(prefix)) continue;
    const rest = filePath.slice(prefix.length);
    names.set(rest.split('/')[0], rest.includes('/') ? 'tree' : 'blob');
  }
  if (names.size === 0) return null;
  return {
    __typename: 'Tree',
    __implements: ['GitObject', 'Node'],
    oid: commit.treeSha,
    entries: [...names.entries()]
      .sort()
      .map(([name, type]) => ({ __typename: 'TreeEntry', name, type, path: `${prefix}${name}` })),
  };
}

/** `object(expression: "REV:path")` as GitHub resolves it: a commit, a tree or a blob, or null. */
function gitObject(repo: RepositoryState, expression: string): GraphQLObject | null {
  const colon = expression.indexOf(':');
  const rev = colon < 0 ? expression : expression.slice(0, colon);
  const commit = repo.store.resolve(rev === 'HEAD' ? repo.store.defaultBranch : rev);
  if (!commit) return null;
  if (colon < 0) return commitObject(commit);
  const path = expression.slice(colon + 1).replace(/^\/+|\/+$/g, '');
  const content = commit.files.get(path);
  return content ? blobObject(content) : treeObject(commit, path);
}

function threadsOf(repo: RepositoryState, pullNumber: number): ReviewCommentState[][] {
  const roots = repo.reviewComments.filter(
    (comment) => comment.pullNumber === pullNumber && comment.inReplyToId === null,
  );
  return roots.map((root) => [root, ...repo.reviewComments.filter((comment) => comment.inReplyToId === root.id)]);
}

const ECOSYSTEMS = [
  'ACTIONS',
  'COMPOSER',
  'ERLANG',
  'GO',
  'MAVEN',
  'NPM',
  'NUGET',
  'PIP',
  'PUB',
  'RUBYGEMS',
  'RUST',
  'SWIFT',
];

function vulnerabilityObject(advisory: SimAdvisory): GraphQLObject {
  const identifiers = [{ __typename: 'SecurityAdvisoryIdentifier', type: 'GHSA', value: advisory.ghsaId }];
  if (advisory.cve) identifiers.push({ __typename: 'SecurityAdvisoryIdentifier', type: 'CVE', value: advisory.cve });
  return {
    __typename: 'SecurityVulnerability',
    severity: advisory.severity,
    vulnerableVersionRange: advisory.vulnerableVersionRange,
    firstPatchedVersion: advisory.firstPatchedVersion
      ? { __typename: 'SecurityAdvisoryPackageVersion', identifier: advisory.firstPatchedVersion }
      : null,
    package: { __typename: 'SecurityAdvisoryPackage', name: advisory.package, ecosystem: 'PIP' },
    updatedAt: advisory.publishedAt,
    advisory: {
      __typename: 'SecurityAdvisory',
      __implements: ['Node'],
      id: `SA_${advisory.ghsaId}`,
      ghsaId: advisory.ghsaId,
      summary: advisory.summary,
      description: advisory.summary,
      severity: advisory.severity,
      permalink: `https://github.com/advisories/${advisory.ghsaId}`,
      identifiers,
      publishedAt: advisory.publishedAt,
      withdrawnAt: advisory.withdrawnAt,
      references: [
        { __typename: 'SecurityAdvisoryReference', url: `https://github.com/advisories/${advisory.ghsaId}` },
      ],
    },
  };
}

/** Answers `POST /graphql` for one installation. */
export async function graphqlHandler(
  sim: GitHubSimulator,
  body: unknown,
  actor: SimUser,
  installationId: number,
  call: RecordedCall,
): Promise<ApiResponse> {
  const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof request.query !== 'string')
    throw new ApiError(400, 'A query attribute must be specified and must be a string.');
  let document;
  try {
    document = parseGraphQL(request.query);
  } catch (error) {
    if (error instanceof GraphQLSyntaxError) return rejected(sim, call, error.message);
    throw error;
  }
  call.graphqlFields = document.operations.flatMap((operation) =>
    operation.selections.flatMap((selection) => (selection.kind === 'field' ? [selection.name] : [])),
  );
  const urls = sim.urls;

  const installed = (owner: unknown, name: unknown): RepositoryState | null => {
    const repo = sim.repository(String(owner), String(name));
    return repo && repo.installationId === installationId ? repo : null;
  };

  function repositoryObject(repo: RepositoryState): GraphQLObject {
    return {
      __typename: 'Repository',
      __implements: ['Node'],
      id: nodeId(NODE_PREFIX.repository, repo.id),
      databaseId: repo.id,
      name: repo.store.name,
      nameWithOwner: `${repo.store.owner}/${repo.store.name}`,
      owner: actorObject(sim.ownerOf(repo)),
      defaultBranchRef: {
        __typename: 'Ref',
        name: repo.store.defaultBranch,
        target: commitObject(repo.store.resolve(repo.store.defaultBranch)!),
      },
      object: (args: Args) => gitObject(repo, String(args.expression ?? args.oid ?? '')),
      pullRequest: (args: Args) => {
        const pull = repo.pulls.get(Number(args.number));
        if (!pull)
          throw new GraphQLFieldError(
            `Could not resolve to a PullRequest with the number of ${String(args.number)}.`,
            'NOT_FOUND',
          );
        const head = sim.headCommit(repo, pull);
        return {
          __typename: 'PullRequest',
          __implements: ['Node'],
          id: nodeId(NODE_PREFIX.pullRequest, pull.id),
          number: pull.number,
          title: pull.title,
          headRefOid: head.sha,
          headRefName: pull.headRef,
          baseRefName: pull.baseRef,
          baseRefOid: repo.store.branch(pull.baseRef),
          author: actorObject(pull.user),
          reviewThreads: (args: Args) =>
            connection(threadsOf(repo, pull.number), args, (thread) => threadObject(repo, thread)),
          comments: (args: Args) => connection(sim.issueComments(repo, pull), args, issueCommentObject),
        } satisfies GraphQLObject;
      },
    };
  }

  function threadObject(repo: RepositoryState, thread: ReviewCommentState[]): GraphQLObject {
    const root = thread[0];
    const placement = sim.placement(repo, root);
    return {
      __typename: 'PullRequestReviewThread',
      __implements: ['Node'],
      id: nodeId(NODE_PREFIX.reviewThread, root.id),
      isResolved: false,
      isOutdated: placement.line === null,
      isCollapsed: root.minimized !== null,
      path: root.path,
      line: placement.line,
      originalLine: root.line,
      startLine: placement.startLine,
      diffSide: root.side,
      comments: (args: Args) =>
        connection(thread, args, (comment) => reviewCommentObject(comment, sim.placement(repo, comment), urls)),
    };
  }

  /** Finds a comment by global node id in the installation's repositories. */
  function commentByNodeId(
    id: string,
  ): { repo: RepositoryState; comment: ReviewCommentState | IssueCommentState; kind: 'review' | 'issue' } | undefined {
    const parsed = parseNodeId(id);
    if (!parsed) return undefined;
    for (const repo of sim.allRepositories().filter((candidate) => candidate.installationId === installationId)) {
      if (parsed.prefix === NODE_PREFIX.reviewComment) {
        const comment = repo.reviewComments.find((candidate) => candidate.id === parsed.databaseId);
        if (comment) return { repo, comment, kind: 'review' };
      }
      if (parsed.prefix === NODE_PREFIX.issueComment) {
        const comment = repo.issueComments.find((candidate) => candidate.id === parsed.databaseId);
        if (comment) return { repo, comment, kind: 'issue' };
      }
    }
    return undefined;
  }

  function nodeObject(id: unknown): GraphQLObject | null {
    const found = commentByNodeId(String(id));
    if (!found) return null;
    return commentObject(found);
  }

  function commentObject(found: {
    repo: RepositoryState;
    comment: ReviewCommentState | IssueCommentState;
    kind: 'review' | 'issue';
  }): GraphQLObject {
    if (found.kind === 'issue') return issueCommentObject(found.comment as IssueCommentState);
    const comment = found.comment as ReviewCommentState;
    return reviewCommentObject(comment, sim.placement(found.repo, comment), urls);
  }

  function setMinimized(args: Args, minimize: boolean): GraphQLObject {
    const input = (args.input ?? {}) as Args;
    const subjectId = String(input.subjectId ?? '');
    if (minimize && !CLASSIFIERS.includes(String(input.classifier))) {
      throw new GraphQLFieldError(
        `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${String(input.classifier)}). Expected type 'ReportedContentClassifiers!'.`,
        'argumentLiteralsIncompatible',
      );
    }
    const found = commentByNodeId(subjectId);
    if (!found)
      throw new GraphQLFieldError(`Could not resolve to a node with the global id of '${subjectId}'`, 'NOT_FOUND');
    found.comment.minimized = minimize ? { reason: String(input.classifier) } : null;
    const object = commentObject(found);
    return {
      __typename: minimize ? 'MinimizeCommentPayload' : 'UnminimizeCommentPayload',
      clientMutationId: input.clientMutationId ?? null,
      [minimize ? 'minimizedComment' : 'unminimizedComment']: object,
    };
  }

  const query: GraphQLObject = {
    __typename: 'Query',
    repository: (args: Args) => {
      const repo = installed(args.owner, args.name);
      if (!repo)
        throw new GraphQLFieldError(
          `Could not resolve to a Repository with the name '${String(args.owner)}/${String(args.name)}'.`,
          'NOT_FOUND',
        );
      return repositoryObject(repo);
    },
    node: (args: Args) => nodeObject(args.id),
    nodes: (args: Args) => ((args.ids as unknown[]) ?? []).map(nodeObject),
    viewer: actorObject(actor),
    securityVulnerabilities: (args: Args) => {
      if (args.ecosystem !== undefined && !ECOSYSTEMS.includes(String(args.ecosystem))) {
        throw new GraphQLFieldError(
          `Argument 'ecosystem' on Field 'securityVulnerabilities' has an invalid value (${String(args.ecosystem)}). Expected type 'SecurityAdvisoryEcosystem'.`,
          'argumentLiteralsIncompatible',
        );
      }
      const wanted = typeof args.package === 'string' ? normalizePackageName(args.package) : undefined;
      const matching = sim.advisories.filter(
        (advisory) =>
          (args.ecosystem === undefined || args.ecosystem === 'PIP') &&
          (wanted === undefined || normalizePackageName(advisory.package) === wanted),
      );
      return connection(matching, args, vulnerabilityObject);
    },
    rateLimit: {
      __typename: 'RateLimit',
      limit: 5000,
      cost: 1,
      remaining: 4999,
      used: 1,
      nodeCount: 0,
      resetAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  };
  const mutation: GraphQLObject = {
    __typename: 'Mutation',
    minimizeComment: (args: Args) => setMinimized(args, true),
    unminimizeComment: (args: Args) => setMinimized(args, false),
    resolveReviewThread: () => {
      // GitHub requires contents: write of app tokens here, which the app's manifest does not ask for.
      if (INSTALLATION_PERMISSIONS.contents !== 'write')
        throw new GraphQLFieldError('Resource not accessible by integration', 'FORBIDDEN');
      throw new GraphQLFieldError('resolveReviewThread is not modelled', 'INTERNAL');
    },
  };
  const result = await executeGraphQL(
    document,
    { query, mutation },
    (request.variables as Record<string, unknown> | undefined) ?? {},
    request.operationName as string | undefined,
  );
  if (result.errors) {
    const message = result.errors.map((error) => error.message).join('; ');
    sim.recordRejection({ method: 'POST', path: '/graphql', status: 200, message, errors: result.errors });
    call.status = 200;
  }
  return json(result);
}

function rejected(sim: GitHubSimulator, call: RecordedCall, message: string): ApiResponse {
  sim.recordRejection({ method: 'POST', path: '/graphql', status: 200, message, errors: [{ message }] });
  call.status = 200;
  return json({ errors: [{ message, locations: [] }] });
}
