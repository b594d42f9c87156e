import type { Context } from 'probot';
import { CHECK_RUN_NAME, pullNumberOfRun, RESCAN_ACTION } from '../github/check-runs.js';
import type { RepoRef } from '../github/client.js';
import type { ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';
import { mergeGroupOfRun, rescanMergeGroup } from './merge-group.js';
import type { Rescans } from './rescan.js';

export interface CheckRunEventDeps {
  rescans: Rescans;
  /** Where a merge group's rescan goes (it has no pull request for `rescans` to look up). */
  queue: ScanQueue<ScanJob>;
  /** Only runs this app owns are acted on. */
  appId: number;
}

interface RescanAsk {
  context: Context<'check_run' | 'check_suite'>;
  installationId: number;
  repo: RepoRef;
  pullNumber: number;
}

async function rescan(ask: RescanAsk, deps: CheckRunEventDeps): Promise<void> {
  const { context } = ask;
  const { outcome } = await deps.rescans.request({
    octokit: context.octokit,
    log: context.log,
    deliveryId: context.id,
    installationId: ask.installationId,
    repo: ask.repo,
    pullNumber: ask.pullNumber,
  });
  context.log.info({ deliveryId: context.id, pr: ask.pullNumber, outcome }, `${context.name} rescan`);
}

/**
 * `check_run.rerequested` (GitHub's "Re-run") and `check_run.requested_action` (our "Rescan"
 * button): rescan the pull request in the run's external id, which fork runs need.
 */
export async function onCheckRun(
  context: Context<'check_run.rerequested' | 'check_run.requested_action'>,
  deps: CheckRunEventDeps,
): Promise<void> {
  const { payload } = context;
  const run = payload.check_run;
  const installationId = payload.installation?.id;
  if (run.app?.id !== deps.appId || run.name !== CHECK_RUN_NAME || installationId === undefined) return;
  if (payload.action === 'requested_action' && payload.requested_action?.identifier !== RESCAN_ACTION) return;
  const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
  const mergeGroup = mergeGroupOfRun(run);
  if (mergeGroup) {
    const ask = { octokit: context.octokit, deliveryId: context.id, installationId, repo, headSha: run.head_sha };
    const outcome = await rescanMergeGroup({ ...ask, headRef: mergeGroup }, deps.queue);
    context.log.info({ deliveryId: context.id, mergeGroup, outcome }, `${context.name} rescan of a merge group`);
    return;
  }
  const pullNumber = pullNumberOfRun(run);
  if (pullNumber === undefined) return;
  await rescan({ context, installationId, repo, pullNumber }, deps);
}

/**
 * `check_suite.rerequested`: the suite's pull requests, or (fork heads list none) the external
 * ids of our runs in the suite.
 */
export async function onCheckSuite(
  context: Context<'check_suite.rerequested'>,
  deps: CheckRunEventDeps,
): Promise<void> {
  const { payload } = context;
  const suite = payload.check_suite;
  const installationId = payload.installation?.id;
  if (suite.app?.id !== deps.appId || installationId === undefined) return;
  const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
  let pullNumbers = suite.pull_requests.map((pr) => pr.number);
  if (pullNumbers.length === 0) {
    const octokit = context.octokit;
    const { data } = await octokit.rest.checks.listForSuite({
      ...repo,
      check_suite_id: suite.id,
      check_name: CHECK_RUN_NAME,
      per_page: 100,
    });
    pullNumbers = data.check_runs
      .map((run) => pullNumberOfRun(run))
      .filter((number): number is number => number !== undefined);
  }
  for (const pullNumber of new Set(pullNumbers)) await rescan({ context, installationId, repo, pullNumber }, deps);
}
