import type { Context } from 'probot';
import type { ScanRequest } from '../scan/types.js';

/** The `pull_request` actions that put new code in front of reviewers. */
export const SCANNED_PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
] as const;

/** Turns a webhook into a scan request; nothing is fetched here. */
export function scanRequestFrom(
  context: Context<(typeof SCANNED_PULL_REQUEST_EVENTS)[number]>,
): ScanRequest | undefined {
  const { payload } = context;
  const installationId = payload.installation?.id;
  if (installationId === undefined) return undefined;
  const pr = payload.pull_request;
  return {
    deliveryId: context.id,
    installationId,
    repo: { owner: payload.repository.owner.login, repo: payload.repository.name },
    pullNumber: pr.number,
    headSha: pr.head.sha,
    baseSha: pr.base.sha,
    draft: pr.draft === true,
    trigger: payload.action,
    fork: pr.head.repo?.full_name !== payload.repository.full_name,
    changedFiles: pr.changed_files ?? 0,
  };
}
