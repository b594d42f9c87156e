import { MarkerKey } from '../report/markers.js';

/** Shorter secrets can be guessed offline from one signed delivery; GitHub's own examples are longer. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The secret Probot falls back to, which every copy of Probot knows: development only. */
const PROBOT_DEVELOPMENT_SECRET = 'development';

/**
 * Why the app must not start with this environment's webhook secret, or `undefined` when it may.
 * Without a secret Probot verifies signatures with its public development secret, so anyone could
 * forge deliveries for every installation. Only an explicit `NODE_ENV=development` allows that.
 */
export function webhookSecretProblem(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.WEBHOOK_SECRET ?? '';
  if (secret.length >= MIN_WEBHOOK_SECRET_LENGTH || env.NODE_ENV === 'development') return undefined;
  const what = secret ? `is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters` : 'is not set';
  return `WEBHOOK_SECRET ${what}: anyone could sign webhooks with a guessable secret and forge events for any installation (set NODE_ENV=development to run without one locally)`;
}

/** The secret deliveries are verified with (Probot's own fallback only in development). */
export function webhookSecretOf(env: NodeJS.ProcessEnv): string {
  return env.WEBHOOK_SECRET || PROBOT_DEVELOPMENT_SECRET;
}

/**
 * The key that signs the state in Warden's comments: WARDEN_STATE_SECRET, else the webhook secret.
 * A separate secret lets the webhook secret be rotated without Warden forgetting its comments.
 */
export function markerKeyFrom(env: NodeJS.ProcessEnv): MarkerKey {
  return new MarkerKey(env.WARDEN_STATE_SECRET || webhookSecretOf(env));
}
