import type { GitHubClient } from './client.js';

/** Who Warden is on GitHub: the app's id, and the slug its bot account is named after. */
export interface AppIdentity {
  appId: number;
  slug: string;
}

/** An author as GitHub lists comments and reviews. */
export interface Authored {
  user?: { login?: string; type?: string } | null;
  /** Set on issue comments made through an app. */
  performed_via_github_app?: { id?: number } | null;
}

/**
 * True for a comment or review Warden itself wrote. Any app can post as a `Bot`, so only Warden's
 * own account (`<slug>[bot]`, a login no one else can register) or its app id counts.
 */
export function isOwn(item: Authored, identity: AppIdentity): boolean {
  if (item.user?.type !== 'Bot') return false;
  if (item.performed_via_github_app?.id === identity.appId) return true;
  return item.user.login?.toLowerCase() === `${identity.slug}[bot]`.toLowerCase();
}

/**
 * The app's identity, asked of GitHub once (`GET /app`, authenticated as the app) and kept for
 * the life of the process; a failed request is tried again on the next call.
 */
export function appIdentityOnce(appClient: () => Promise<GitHubClient>): () => Promise<AppIdentity> {
  let pending: Promise<AppIdentity> | undefined;
  return () =>
    (pending ??= (async () => {
      const { data } = await (await appClient()).rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error('GitHub did not name the app (GET /app has no slug)');
      return { appId: data.id, slug: data.slug };
    })().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
