import type { GitHubClient, RepoRef } from '../github/client.js';
import type { AppIdentity } from '../github/identity.js';
import { listOwnReviewBodies, listOwnReviewComments, type OwnReviewComment } from '../github/reviews.js';
import { readState, type MarkerKey, type Triage } from '../report/markers.js';

/** One of Warden's earlier inline comments on this pull request, with what its signed state says. */
export interface PostedComment extends Omit<OwnReviewComment, 'body'> {
  fingerprint: string;
  ruleId: string;
  fixed: boolean;
  /** Dismissed by `/warden fp` or `/warden accept-risk`: neither posted again nor counted. */
  triage?: Triage;
}

/** Warden's own inline comments that carry a finding in their signed state. */
export async function listPostedComments(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  identity: AppIdentity,
  key: MarkerKey,
): Promise<PostedComment[]> {
  return (await listOwnReviewComments(octokit, repo, pullNumber, identity)).flatMap(({ body, ...comment }) => {
    const state = readState(body, key);
    if (!state?.fingerprint || !state.rule) return [];
    return [
      {
        ...comment,
        ...(state.triage ? { triage: state.triage } : {}),
        fingerprint: state.fingerprint,
        ruleId: state.rule,
        fixed: state.fixed === true,
      },
    ];
  });
}

/** Findings that earlier reviews of ours listed in their body rather than inline. */
export async function listFingerprintsInReviewBodies(
  octokit: GitHubClient,
  repo: RepoRef,
  pullNumber: number,
  identity: AppIdentity,
  key: MarkerKey,
): Promise<Set<string>> {
  const bodies = await listOwnReviewBodies(octokit, repo, pullNumber, identity);
  return new Set(bodies.flatMap((body) => readState(body, key)?.listed ?? []));
}
