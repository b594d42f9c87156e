import { notFound, json } from './http.js';
import { deliveryJson } from './serialize.js';
import { routeSupport, type Register } from './route-support.js';
import type { SimContext } from './context.js';

/** The app's own endpoints (JWT-authenticated), installation tokens and the rate limit. */
export function appRoutes(sim: SimContext, on: Register): void {
  const { repoOf } = routeSupport(sim);
  on('GET /app', () => json(sim.appJson()));
  on('GET /app/installations', () => {
    const ids = [...new Set(sim.allRepositories().map((repo) => repo.installationId))];
    return json(ids.map((id) => sim.installationJson(id)));
  });
  // The app's delivery log, newest first, paged by a cursor (the last attempt id seen), as GitHub does.
  on('GET /app/hook/deliveries', (request) => {
    const perPage = Math.min(Number(request.query.get('per_page') ?? 30) || 30, 100);
    const cursor = Number(request.query.get('cursor') ?? Number.POSITIVE_INFINITY);
    const newestFirst = [...sim.deliveries].reverse().filter((delivery) => (delivery.attemptId ?? 0) < cursor);
    const page = newestFirst.slice(0, perPage);
    const headers: Record<string, string> = {};
    if (newestFirst.length > perPage) {
      const next = new URL(request.url);
      next.searchParams.set('cursor', String(page.at(-1)!.attemptId));
      next.searchParams.set('per_page', String(perPage));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return json(page.map(deliveryJson), 200, headers);
  });
  on('POST /app/hook/deliveries/{delivery_id}/attempts', (request) => {
    if (!sim.requestRedelivery(Number(request.params.delivery_id))) throw notFound();
    return json({}, 202);
  });
  on('GET /repos/{owner}/{repo}/installation', (request) => json(sim.installationJson(repoOf(request).installationId)));
  on('POST /app/installations/{installation_id}/access_tokens', (request) => {
    const installationId = Number(request.params.installation_id);
    if (!sim.allRepositories().some((repo) => repo.installationId === installationId)) throw notFound();
    const { token, expiresAt } = sim.issueToken(installationId);
    return json({ token, expires_at: expiresAt, permissions: sim.permissions, repository_selection: 'all' }, 201);
  });
  on('GET /rate_limit', () => {
    const core = {
      limit: 5000,
      used: sim.calls.length,
      remaining: Math.max(5000 - sim.calls.length, 0),
      reset: Math.floor(Date.now() / 1000) + 3600,
    };
    return json({ resources: { core, graphql: core }, rate: core });
  });
}
