import type { IssueCommentState, PullRequestState, RepositoryState, ReviewCommentState, SimUser } from './entities.js';
import { NODE_PREFIX, nodeId, parseNodeId } from './entities.js';
import { normalizePackageName, type SimAdvisory } from './advisories.js';
import { blobSha, isBinary, type Commit } from './git-store.js';
import { executeGraphQL, GraphQLFieldError, GraphQLSyntaxError, parseGraphQL, type GraphQLObject } from './graphql.js';
import { ApiError, json, type ApiResponse } from './http.js';
import type { CommentPlacement } from './serialize.js';
import type { RecordedCall, SimContext } from './context.js';

/** GraphQL `Blob.text` stops here; `isTruncated` says so. */
export const BLOB_TEXT_LIMIT = 512_000;

const CLASSIFIERS = ['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'];

type Args = Record<string, unknown>;

/**
 * A GraphQL argument as text, as GitHub echoes it in messages and lookups: strings as they are,
 * numbers and booleans printed, anything else (a missing argument, an object) as JSON or empty.
 */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

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

/** Who asks, through which installation: what every resolver needs. */
interface Scope {
  sim: SimContext;
  installationId: number;
  actor: SimUser;
}

type FoundComment =
  | { repo: RepositoryState; comment: ReviewCommentState; kind: 'review' }
  | { repo: RepositoryState; comment: IssueCommentState; kind: 'issue' };

function installedRepositories({ sim, installationId }: Scope): RepositoryState[] {
  return sim.allRepositories().filter((candidate) => candidate.installationId === installationId);
}

function repositoryObject(scope: Scope, repo: RepositoryState): GraphQLObject {
  const { sim } = scope;
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
    object: (args: Args) => gitObject(repo, text(args.expression ?? args.oid)),
    pullRequest: (args: Args) => {
      const pull = repo.pulls.get(Number(args.number));
      if (!pull)
        throw new GraphQLFieldError(
          `Could not resolve to a PullRequest with the number of ${text(args.number)}.`,
          'NOT_FOUND',
        );
      return pullRequestObject(scope, repo, pull);
    },
    pullRequests: (args: Args) => {
      const states = Array.isArray(args.states) ? args.states.map(text) : ['OPEN', 'CLOSED', 'MERGED'];
      const order = (args.orderBy ?? {}) as Args;
      const pulls = [...repo.pulls.values()].filter((pull) => states.includes(pull.state.toUpperCase()));
      // Numbers grow with creation time, which is the order GitHub's CREATED_AT sorts by.
      pulls.sort((a, b) => (order.direction === 'DESC' ? b.number - a.number : a.number - b.number));
      return connection(pulls, args, (pull) => pullRequestObject(scope, repo, pull));
    },
  };
}

function pullRequestObject(scope: Scope, repo: RepositoryState, pull: PullRequestState): GraphQLObject {
  const { sim } = scope;
  const head = sim.headCommit(repo, pull);
  const base = sim.mergeBase(repo, pull);
  return {
    __typename: 'PullRequest',
    __implements: ['Node'],
    id: nodeId(NODE_PREFIX.pullRequest, pull.id),
    number: pull.number,
    title: pull.title,
    isDraft: false,
    headRefOid: head.sha,
    headRefName: pull.headRef,
    baseRefName: pull.baseRef,
    baseRefOid: repo.store.branch(pull.baseRef),
    isCrossRepository: false,
    changedFiles: repo.store.changedFiles(base.sha, head.sha, sim.urls.api).length,
    author: actorObject(pull.user),
    reviewThreads: (args: Args) =>
      connection(threadsOf(repo, pull.number), args, (thread) => threadObject(scope, repo, thread)),
    comments: (args: Args) => connection(sim.issueComments(repo, pull), args, issueCommentObject),
  };
}

function threadObject(scope: Scope, repo: RepositoryState, thread: ReviewCommentState[]): GraphQLObject {
  const { sim } = scope;
  const root = thread[0];
  const placement = sim.placement(repo, root);
  return {
    __typename: 'PullRequestReviewThread',
    __implements: ['Node'],
    id: nodeId(NODE_PREFIX.reviewThread, root.id),
    isResolved: root.resolvedBy !== null,
    resolvedBy: root.resolvedBy ? actorObject(root.resolvedBy) : null,
    viewerCanResolve: true,
    viewerCanUnresolve: true,
    isOutdated: placement.line === null,
    isCollapsed: root.minimized !== null || root.resolvedBy !== null,
    path: root.path,
    line: placement.line,
    originalLine: root.line,
    startLine: placement.startLine,
    diffSide: root.side,
    comments: (args: Args) =>
      connection(thread, args, (comment) => reviewCommentObject(comment, sim.placement(repo, comment), sim.urls)),
  };
}

/** Finds a comment by global node id in the installation's repositories. */
function commentByNodeId(scope: Scope, id: string): FoundComment | undefined {
  const parsed = parseNodeId(id);
  if (!parsed) return undefined;
  for (const repo of installedRepositories(scope)) {
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

function commentObject(scope: Scope, found: FoundComment): GraphQLObject {
  if (found.kind === 'issue') return issueCommentObject(found.comment);
  return reviewCommentObject(found.comment, scope.sim.placement(found.repo, found.comment), scope.sim.urls);
}

function setMinimized(scope: Scope, args: Args, minimize: boolean): GraphQLObject {
  const input = (args.input ?? {}) as Args;
  const subjectId = text(input.subjectId);
  if (minimize && !CLASSIFIERS.includes(text(input.classifier))) {
    throw new GraphQLFieldError(
      `Argument 'classifier' on InputObject 'MinimizeCommentInput' has an invalid value (${text(input.classifier)}). Expected type 'ReportedContentClassifiers!'.`,
      'argumentLiteralsIncompatible',
    );
  }
  const found = commentByNodeId(scope, subjectId);
  if (!found)
    throw new GraphQLFieldError(`Could not resolve to a node with the global id of '${subjectId}'`, 'NOT_FOUND');
  found.comment.minimized = minimize ? { reason: text(input.classifier) } : null;
  return {
    __typename: minimize ? 'MinimizeCommentPayload' : 'UnminimizeCommentPayload',
    clientMutationId: input.clientMutationId ?? null,
    [minimize ? 'minimizedComment' : 'unminimizedComment']: commentObject(scope, found),
  };
}

/**
 * `resolveReviewThread` / `unresolveReviewThread`. GitHub asks app tokens for `contents: write`
 * here (not only `pull_requests: write`), so an installation without it is refused as GitHub does.
 */
function setThreadResolved(scope: Scope, args: Args, resolved: boolean): GraphQLObject {
  const input = (args.input ?? {}) as Args;
  const threadId = text(input.threadId);
  if (scope.sim.permissions.contents !== 'write' || scope.sim.permissions.pull_requests !== 'write')
    throw new GraphQLFieldError('Resource not accessible by integration', 'FORBIDDEN');
  const parsed = parseNodeId(threadId);
  const root =
    parsed?.prefix === NODE_PREFIX.reviewThread
      ? installedRepositories(scope)
          .map((repo) => ({
            repo,
            comment: repo.reviewComments.find((candidate) => candidate.id === parsed.databaseId),
          }))
          .find((found) => found.comment && found.comment.inReplyToId === null)
      : undefined;
  if (!root?.comment)
    throw new GraphQLFieldError(`Could not resolve to a node with the global id of '${threadId}'`, 'NOT_FOUND');
  root.comment.resolvedBy = resolved ? scope.actor : null;
  const thread = threadsOf(root.repo, root.comment.pullNumber).find((candidate) => candidate[0] === root.comment)!;
  return {
    __typename: resolved ? 'ResolveReviewThreadPayload' : 'UnresolveReviewThreadPayload',
    clientMutationId: input.clientMutationId ?? null,
    thread: threadObject(scope, root.repo, thread),
  };
}

function securityVulnerabilities(scope: Scope, args: Args): GraphQLObject {
  if (args.ecosystem !== undefined && !ECOSYSTEMS.includes(text(args.ecosystem))) {
    throw new GraphQLFieldError(
      `Argument 'ecosystem' on Field 'securityVulnerabilities' has an invalid value (${text(args.ecosystem)}). Expected type 'SecurityAdvisoryEcosystem'.`,
      'argumentLiteralsIncompatible',
    );
  }
  const wanted = typeof args.package === 'string' ? normalizePackageName(args.package) : undefined;
  const matching = scope.sim.advisories.filter(
    (advisory) =>
      (args.ecosystem === undefined || args.ecosystem === 'PIP') &&
      (wanted === undefined || normalizePackageName(advisory.package) === wanted),
  );
  return connection(matching, args, vulnerabilityObject);
}

function queryRoot(scope: Scope): GraphQLObject {
  const nodeObject = (id: unknown): GraphQLObject | null => {
    const found = commentByNodeId(scope, text(id));
    return found ? commentObject(scope, found) : null;
  };
  return {
    __typename: 'Query',
    repository: (args: Args) => {
      const repo = scope.sim.repository(text(args.owner), text(args.name));
      if (!repo || repo.installationId !== scope.installationId)
        throw new GraphQLFieldError(
          `Could not resolve to a Repository with the name '${text(args.owner)}/${text(args.name)}'.`,
          'NOT_FOUND',
        );
      return repositoryObject(scope, repo);
    },
    node: (args: Args) => nodeObject(args.id),
    nodes: (args: Args) => ((args.ids as unknown[]) ?? []).map(nodeObject),
    viewer: actorObject(scope.actor),
    securityVulnerabilities: (args: Args) => securityVulnerabilities(scope, args),
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
}

function mutationRoot(scope: Scope): GraphQLObject {
  return {
    __typename: 'Mutation',
    minimizeComment: (args: Args) => setMinimized(scope, args, true),
    unminimizeComment: (args: Args) => setMinimized(scope, args, false),
    resolveReviewThread: (args: Args) => setThreadResolved(scope, args, true),
    unresolveReviewThread: (args: Args) => setThreadResolved(scope, args, false),
  };
}

/** Answers `POST /graphql` for one installation. */
export async function graphqlHandler(
  sim: SimContext,
  body: unknown,
  { actor, installationId }: { actor: SimUser; installationId: number },
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
  const scope: Scope = { sim, installationId, actor };
  const result = await executeGraphQL(
    document,
    { query: queryRoot(scope), mutation: mutationRoot(scope) },
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

function rejected(sim: SimContext, call: RecordedCall, message: string): ApiResponse {
  sim.recordRejection({ method: 'POST', path: '/graphql', status: 200, message, errors: [{ message }] });
  call.status = 200;
  return json({ errors: [{ message, locations: [] }] });
}
