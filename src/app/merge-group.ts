import type { Context } from 'probot';
import type { ScanRequest } from '../scan/types.js';

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
