import type { Context } from 'probot';
import type { GitHubClient, RepoRef } from '../github/client.js';
import type { ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';
import type { ScanRequest } from '../scan/types.js';

/** The branch a merge queue builds a group on: `gh-readonly-queue/<base branch>/pr-<n>-<head sha>`. */
const QUEUE_BRANCH = 'refs/heads/gh-readonly-queue/';

/**
 * `merge_group.checks_requested`: a merge queue asks for the checks of a group, whose commit
 * (`head_sha`) holds the queued pull requests merged onto the base branch (`base_sha`). A
 * repository that requires the Warden check needs its run on that commit, or the queue waits
 * until it times out; the group's changes against the base are scanned like a pull request's.
 */
/** `undefined` for a delivery without an installation or a repository. */
export function mergeGroupScanRequest(context: Context<'merge_group.checks_requested'>): ScanRequest | undefined {
  const { payload } = context;
  const installationId = payload.installation?.id;
  if (installationId === undefined || !payload.repository) return undefined;
  const group = payload.merge_group;
  return {
    deliveryId: context.id,
    installationId,
    repo: { owner: payload.repository.owner.login, repo: payload.repository.name },
    pullNumber: 0,
    headSha: group.head_sha,
    baseSha: group.base_sha,
    draft: false,
    trigger: 'merge_group',
    fork: false,
    changedFiles: 0,
    mergeGroup: { headRef: group.head_ref, baseRef: group.base_ref },
  };
}

/** A Warden run on a merge group's commit: its external id is the group's head ref. */
export function mergeGroupOfRun(run: { external_id: string | null }): string | undefined {
  return run.external_id?.startsWith(QUEUE_BRANCH) ? run.external_id : undefined;
}

/** What a Re-run or Rescan of a merge group's Warden run needs to know. */
export interface MergeGroupRescan {
  octokit: GitHubClient;
  deliveryId: string;
  installationId: number;
  repo: RepoRef;
  headSha: string;
  headRef: string;
}

/**
 * Re-run or Rescan on a merge group's run: the group is scanned again, as a forced scan with a new
 * run. The check run does not say which base the group went onto; the group's commit does, as its
 * first parent (the base branch's commit the queue built it on).
 */
export async function rescanMergeGroup(ask: MergeGroupRescan, queue: ScanQueue<ScanJob>): Promise<string> {
  const { data: commit } = await ask.octokit.rest.repos.getCommit({ ...ask.repo, ref: ask.headSha });
  const baseSha = commit.parents[0]?.sha;
  if (!baseSha) return 'no-base';
  const baseBranch = ask.headRef.slice(QUEUE_BRANCH.length, ask.headRef.lastIndexOf('/pr-'));
  return queue.enqueue({
    deliveryId: ask.deliveryId,
    installationId: ask.installationId,
    repo: ask.repo,
    pullNumber: 0,
    headSha: ask.headSha,
    baseSha,
    draft: false,
    trigger: 'rescan',
    fork: false,
    changedFiles: 0,
    mergeGroup: { headRef: ask.headRef, baseRef: `refs/heads/${baseBranch}` },
    force: true,
  });
}
