import type { Context } from 'probot';
import { listNewestOpenPullRequests } from '../github/open-pulls.js';
import type { ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';

/** Where Probot's `context.config('warden.yml')` reads a repository's config, on its default branch. */
export const CONFIG_PATH = '.github/warden.yml';

/** Default of `WARDEN_CONFIG_RESCAN_LIMIT`: how many open pull requests a config change rescans. */
export const DEFAULT_CONFIG_RESCAN_LIMIT = 30;

/** GitHub lists at most this many commits in a push payload; a longer push may hide the config change. */
const PUSH_PAYLOAD_COMMITS = 2048;

/** `WARDEN_CONFIG_RESCAN_LIMIT` (0 turns the rescans off), else `DEFAULT_CONFIG_RESCAN_LIMIT`. */
export function configRescanLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WARDEN_CONFIG_RESCAN_LIMIT;
  const limit = raw === undefined || raw.trim() === '' ? DEFAULT_CONFIG_RESCAN_LIMIT : Number(raw);
  return Number.isInteger(limit) && limit >= 0 ? limit : DEFAULT_CONFIG_RESCAN_LIMIT;
}

interface PushedCommit {
  added?: string[];
  modified?: string[];
  removed?: string[];
}

/**
 * Whether a push may have changed the config: a listed commit added, modified or removed it, or
 * the payload cannot tell (a force push rewrites history its commit list does not show, and a very
 * long push is listed only in part), in which case the rescan is the safe side.
 */
export function pushChangesConfig(push: { commits: readonly PushedCommit[]; forced: boolean }): boolean {
  const touches = (commit: PushedCommit) =>
    [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].includes(CONFIG_PATH);
  return push.commits.some(touches) || push.forced || push.commits.length >= PUSH_PAYLOAD_COMMITS;
}

export interface ConfigPushDeps {
  queue: ScanQueue<ScanJob>;
  /** At most this many open pull requests are rescanned, the newest first. */
  limit: number;
}

/**
 * `push`: a push to the default branch that changes `.github/warden.yml` rescans the
 * repository's open pull requests with the new config, newest first and at most `deps.limit` of
 * them, through the queue (each as a forced scan of its head, which already had one). Pushes to
 * other branches are ignored: the config is read from the default branch only.
 */
export async function onPush(context: Context<'push'>, deps: ConfigPushDeps): Promise<void> {
  const { payload } = context;
  const installationId = payload.installation?.id;
  const defaultBranch = payload.repository.default_branch;
  if (installationId === undefined || payload.deleted || payload.ref !== `refs/heads/${defaultBranch}`) return;
  const owner = payload.repository.owner?.login;
  if (owner === undefined || deps.limit === 0 || !pushChangesConfig(payload)) return;
  const repo = { owner, repo: payload.repository.name };
  const pulls = await listNewestOpenPullRequests(context.octokit, repo, deps.limit);
  const outcomes: Record<string, number> = {};
  for (const pull of pulls) {
    const outcome = await deps.queue.enqueue({
      deliveryId: `${context.id}:pr-${pull.number}`,
      installationId,
      repo,
      pullNumber: pull.number,
      headSha: pull.headSha,
      baseSha: pull.baseSha,
      draft: pull.draft,
      trigger: 'config-change',
      fork: pull.fork,
      changedFiles: pull.changedFiles,
      force: true,
    });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  context.log.info(
    { deliveryId: context.id, repo: `${repo.owner}/${repo.repo}`, sha: payload.after, pulls: pulls.length, outcomes },
    `${CONFIG_PATH} changed on the default branch; open pull requests rescanned`,
  );
}
