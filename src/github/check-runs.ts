import type { RestEndpointMethodTypes } from '@octokit/rest';
import type { GitHubClient, RepoRef } from './client.js';

export const CHECK_RUN_NAME = 'Warden';
/** GitHub takes at most this many annotations per create or update request; each update appends. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** Identifier of the "Rescan" button; `check_run.requested_action` events carry it back. */
export const RESCAN_ACTION = 'rescan';

export type CheckConclusion = 'success' | 'failure' | 'neutral';

/** An annotation as GitHub's check-run API takes it; `src/report` builds them from findings. */
type AnnotationInput = NonNullable<
  NonNullable<RestEndpointMethodTypes['checks']['update']['parameters']['output']>['annotations']
>[number];

export interface CheckRunOutcome {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  annotations: readonly AnnotationInput[];
}

const rescanButton = { label: 'Rescan', description: 'Scan this commit again', identifier: RESCAN_ACTION };

/**
 * Opens the run before anything else happens, so the PR shows at once that a scan is under way.
 * `externalId` names what was scanned: a pull request's number (fork runs list no pull
 * requests), or a merge group's head ref.
 */
export async function createCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  externalId: string,
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_RUN_NAME,
    head_sha: headSha,
    status: 'in_progress',
    external_id: externalId,
    started_at: new Date().toISOString(),
  });
  return data.id;
}

/**
 * Completes the run with the first 50 annotations (GitHub's limit per request); the rest go
 * through `appendAnnotations`, once the run already has its conclusion.
 */
export async function completeCheckRun(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  outcome: CheckRunOutcome,
): Promise<void> {
  await octokit.rest.checks.update({
    ...repo,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: outcome.conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title: outcome.title,
      summary: outcome.summary,
      annotations: outcome.annotations.slice(0, ANNOTATIONS_PER_REQUEST),
    },
    actions: [rescanButton],
  });
}

/** Appends the annotations past the first 50, 50 per update (each update adds to the run's list). */
export async function appendAnnotations(
  octokit: GitHubClient,
  repo: RepoRef,
  checkRunId: number,
  outcome: CheckRunOutcome,
): Promise<void> {
  const output = { title: outcome.title, summary: outcome.summary };
  for (const annotations of chunk(outcome.annotations.slice(ANNOTATIONS_PER_REQUEST), ANNOTATIONS_PER_REQUEST)) {
    await octokit.rest.checks.update({ ...repo, check_run_id: checkRunId, output: { ...output, annotations } });
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** When the newest Warden run on a commit started, if there is one (for the rescan cooldown). */
export async function latestRunStartedAt(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
): Promise<Date | undefined> {
  const { data } = await octokit.rest.checks.listForRef({
    ...repo,
    ref: headSha,
    check_name: CHECK_RUN_NAME,
    filter: 'latest',
    per_page: 100,
  });
  const started = data.check_runs.map((run) => Date.parse(run.started_at ?? '')).filter((time) => !Number.isNaN(time));
  return started.length === 0 ? undefined : new Date(Math.max(...started));
}

/** The pull request a run of ours is about: its external id (fork runs list no pull requests). */
export function pullNumberOfRun(run: {
  external_id: string | null;
  pull_requests: readonly { number: number }[];
}): number | undefined {
  const external = Number(run.external_id);
  if (Number.isSafeInteger(external) && external > 0) return external;
  return run.pull_requests[0]?.number;
}
