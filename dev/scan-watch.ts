import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitHubSimulator, RecordedCall, RepositoryState } from './github-sim/index.js';

/**
 * Probot's throttling holds comment and review POSTs at least 3 s apart on the client, so a
 * scan is only over after a longer silence than that.
 */
export const SCAN_QUIET_MS = 3500;

/** Waits until the app has finished a scan of `headSha`: its check run completed and its calls stopped. */
export async function waitForScan(
  sim: GitHubSimulator,
  repo: RepositoryState,
  headSha: string,
  timeoutMs = 90_000,
): Promise<void> {
  await sim.waitFor(
    `a completed check run on ${headSha.slice(0, 7)}`,
    () => sim.checkRuns(repo, headSha).some((run) => run.status === 'completed'),
    timeoutMs,
  );
  await sim.waitForQuiet(SCAN_QUIET_MS);
}

/** Calls grouped by `METHOD route` (GraphQL by its top-level fields), most frequent first. */
export function scanCallSummary(calls: RecordedCall[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const route =
      call.route === '/graphql'
        ? `POST /graphql { ${(call.graphqlFields ?? []).join(', ')} }`
        : `${call.method} ${call.route ?? call.path} → ${call.status}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Whether the built app has a handler for `event` (e.g. `issue_comment`, where `/warden` commands arrive). */
export function appHandles(root: string, event: string): boolean {
  const appDir = join(root, 'dist', 'app');
  if (!existsSync(appDir)) return false;
  const handler = new RegExp(`['"\`]${event}(\\.[a-z_]+)?['"\`]`);
  return readdirSync(appDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .some((name) => handler.test(readFileSync(join(appDir, name), 'utf8')));
}
