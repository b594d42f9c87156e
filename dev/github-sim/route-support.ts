import type { PullRequestState, RepositoryState, ReviewCommentState, SimUser } from './entities.js';
import type { SimContext, RouteHandler } from './context.js';
import type { Commit } from './git-store.js';
import { ApiError, notFound, unprocessable, type ApiRequest } from './http.js';
import { reviewCommentJson } from './serialize.js';

/** Adds one route, keyed `METHOD template` as in GitHub's OpenAPI description. */
export type Register = (key: string, handler: RouteHandler) => void;

/** GitHub's documented limits. */
export const LIMITS = {
  annotationsPerRequest: 50,
  outputText: 65_535,
  annotationTitle: 255,
  annotationMessage: 65_536,
  commentBody: 65_536,
  actions: 3,
  actionLabel: 20,
  actionDescription: 40,
  actionIdentifier: 20,
  pullRequestFiles: 3_000,
  /** The contents API returns JSON content up to 1 MB; larger files need the raw media type. */
  contentsJsonBytes: 1_000_000,
} as const;

export type Body = Record<string, unknown>;

export function tooLong(field: string, limit: number, actual: number): ApiError {
  return unprocessable(`Invalid request.\n\nOnly ${limit} characters are allowed; ${actual} were supplied.`, [
    { resource: 'CheckRun', field, code: 'too_long' },
  ]);
}

export function checkBodyLength(body: unknown, resource: string): void {
  if (typeof body === 'string' && body.length > LIMITS.commentBody) {
    throw unprocessable('Validation Failed', [
      {
        resource,
        field: 'body',
        code: 'custom',
        message: `body is too long (maximum is ${LIMITS.commentBody} characters)`,
      },
    ]);
  }
}

/** The lookups and checks every route module shares, bound to one simulator. */
export interface RouteSupport {
  /** The repository, if it exists and the caller's installation covers it (GitHub answers 404 otherwise). */
  repoOf: (request: ApiRequest) => RepositoryState;
  pullOf: (repo: RepositoryState, request: ApiRequest) => PullRequestState;
  commitOf: (repo: RepositoryState, ref: string) => Commit;
  actorOf: (request: ApiRequest) => SimUser;
  /** Refuses a write the installation was not granted, as GitHub does. */
  requireWrite: (permission: string) => void;
  commentJson: (repo: RepositoryState, comment: ReviewCommentState) => Record<string, unknown>;
}

export function routeSupport(sim: SimContext): RouteSupport {
  return {
    repoOf: (request) => {
      const repo = sim.repository(request.params.owner ?? '', request.params.repo ?? '');
      if (!repo || (request.installationId !== undefined && repo.installationId !== request.installationId))
        throw notFound();
      return repo;
    },
    pullOf: (repo, request) => {
      const pull = repo.pulls.get(Number(request.params.pull_number));
      if (!pull) throw notFound();
      return pull;
    },
    commitOf: (repo, ref) => {
      const commit = repo.store.resolve(ref);
      if (!commit) throw unprocessable(`No commit found for SHA: ${ref}`);
      return commit;
    },
    actorOf: (request) => {
      if (!request.actor) throw new ApiError(403, 'This endpoint requires an installation access token');
      return request.actor;
    },
    requireWrite: (permission) => {
      if (sim.permissions[permission] !== 'write') throw new ApiError(403, 'Resource not accessible by integration');
    },
    commentJson: (repo, comment) => reviewCommentJson(repo, comment, sim.urls, sim.placement(repo, comment)),
  };
}
