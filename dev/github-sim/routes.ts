import type { RouteHandler, SimContext } from './context.js';
import { appRoutes } from './routes-app.js';
import { checkRunRoutes } from './routes-checks.js';
import { issueCommentRoutes, reactionAndCollaboratorRoutes } from './routes-issues.js';
import { pullRoutes, repositoryRoutes } from './routes-repos.js';
import { reviewCommentRoutes } from './routes-review-comments.js';
import { reviewRoutes } from './routes-reviews.js';

export { LIMITS } from './route-support.js';

/** The routes the simulator models, keyed `METHOD template` as in GitHub's OpenAPI description, one module per API area. */
export function routeHandlers(sim: SimContext): Map<string, RouteHandler> {
  const routes = new Map<string, RouteHandler>();
  const on = (key: string, handler: RouteHandler): void => {
    routes.set(key, handler);
  };
  for (const area of [
    appRoutes,
    repositoryRoutes,
    pullRoutes,
    checkRunRoutes,
    reviewRoutes,
    reviewCommentRoutes,
    issueCommentRoutes,
    reactionAndCollaboratorRoutes,
  ])
    area(sim, on);
  return routes;
}
