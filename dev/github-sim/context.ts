import type { SimAdvisory } from './advisories.js';
import type {
  CheckRunState,
  IssueCommentState,
  Permission,
  PullRequestState,
  RepositoryState,
  ReviewCommentState,
  ReviewState,
  SimUser,
} from './entities.js';
import type { Commit } from './git-store.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { CommentPlacement, UrlRoots } from './serialize.js';
import type { Delivery } from './webhooks.js';

/**
 * What the REST routes and the GraphQL API read and change of the simulator. They depend on this
 * interface, which `GitHubSimulator` implements, so the simulator can import them without a cycle.
 */

export type InstallationPermissions = Record<string, 'read' | 'write'>;

/**
 * An installation's granted permissions, as the app's manifest (`app.yml`) asks for them.
 * `contents: write` is there only because GitHub requires it of app tokens for `resolveReviewThread`.
 */
export const INSTALLATION_PERMISSIONS: InstallationPermissions = {
  checks: 'write',
  pull_requests: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
};

/** One API request as the simulator saw it. */
export interface RecordedCall {
  method: string;
  /** The path without the GHE `/api/v3` prefix and without the query. */
  path: string;
  query: string;
  /** The documented route template, when there is one. */
  route: string | undefined;
  status: number;
  /** For GraphQL: the top-level fields of the operation (`minimizeComment`, `repository`). */
  graphqlFields?: string[];
  at: number;
}

/** A request GitHub would have refused, with the reason it gave. */
export interface Rejection {
  method: string;
  path: string;
  status: number;
  message: string;
  errors: unknown[];
}

export type RouteHandler = (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

/** A webhook the simulator sends as a consequence of an API call or a user's action. */
export interface WebhookEvent {
  event: string;
  action: string;
  fields: Record<string, unknown>;
  /** Keys of `fields` that are merged into the example payload rather than replacing it. */
  merge?: string[];
}

export interface SimContext {
  readonly bot: SimUser;
  readonly urls: UrlRoots;
  readonly calls: readonly RecordedCall[];
  readonly deliveries: readonly Delivery[];
  readonly advisories: readonly SimAdvisory[];
  /** What the app's installations were granted. */
  readonly permissions: InstallationPermissions;
  newId(): number;
  now(): string;
  user(login: string): SimUser;
  repository(owner: string, name: string): RepositoryState | undefined;
  allRepositories(): RepositoryState[];
  ownerOf(repo: RepositoryState): SimUser;
  permissionOf(repo: RepositoryState, login: string): Permission;
  appJson(): Record<string, unknown>;
  installationJson(installationId: number): Record<string, unknown>;
  issueToken(installationId: number): { token: string; expiresAt: string };
  requestRedelivery(attemptId: number): boolean;
  mergeBase(repo: RepositoryState, pull: PullRequestState): Commit;
  headCommit(repo: RepositoryState, pull: PullRequestState): Commit;
  pullCommits(repo: RepositoryState, pull: PullRequestState): Commit[];
  pullJson(repo: RepositoryState, pull: PullRequestState): Record<string, unknown>;
  placement(repo: RepositoryState, comment: ReviewCommentState): CommentPlacement;
  checkRunJson(repo: RepositoryState, run: CheckRunState): Record<string, unknown>;
  emit(repo: RepositoryState, webhook: WebhookEvent): void;
  reviews(repo: RepositoryState, pull: PullRequestState): ReviewState[];
  issueComments(repo: RepositoryState, pull: PullRequestState): IssueCommentState[];
  addIssueComment(repo: RepositoryState, issueNumber: number, user: SimUser, body: string): IssueCommentState;
  issueCommentFields(
    repo: RepositoryState,
    pull: PullRequestState,
    comment: IssueCommentState,
  ): Record<string, unknown>;
  recordRejection(rejection: Rejection): void;
}
