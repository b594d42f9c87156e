import { readState, type MarkerKey } from '../../src/report/markers.js';

/** What GitHub holds for one pull request after the burst. */
export interface PullRequestOutcome {
  /** `owner/repo#number`. */
  label: string;
  latestHead: string;
  checkRuns: readonly { name: string; headSha: string; status: string; conclusion: string | null }[];
  /** Bodies of the review comments the app posted on the pull request, on any commit. */
  reviewCommentBodies: readonly string[];
}

export interface Audit {
  /** Pull requests whose latest head has no completed run, or whose finding never arrived. */
  lost: string[];
  /** How many latest heads have no completed run. */
  headsWithoutRun: number;
  /** Pull requests whose latest head got more than one run, or with the same finding posted twice. */
  doubled: string[];
  /** Conclusions of the latest heads' completed runs, with their counts. */
  conclusions: Map<string, number>;
}

/**
 * Checks that the burst lost nothing and did nothing twice. Older heads may carry superseded
 * runs (or none, when their scan was coalesced away); only the latest head must have exactly one
 * completed run, and every finding is posted once.
 */
export function auditPullRequests(
  outcomes: readonly PullRequestOutcome[],
  checkRunName: string,
  markerKey: MarkerKey,
): Audit {
  const audit: Audit = { lost: [], headsWithoutRun: 0, doubled: [], conclusions: new Map() };
  for (const outcome of outcomes) {
    const latestRuns = outcome.checkRuns.filter(
      (run) => run.name === checkRunName && run.headSha === outcome.latestHead,
    );
    const completed = latestRuns.filter((run) => run.status === 'completed');
    const states = `head ${outcome.latestHead.slice(0, 7)} has ${latestRuns.map((run) => (run.status === 'completed' ? `completed/${run.conclusion}` : run.status)).join(', ') || 'no run'}`;
    if (completed.length === 0) {
      audit.lost.push(`${outcome.label}: ${states}`);
      audit.headsWithoutRun += 1;
    } else if (latestRuns.length > 1) audit.doubled.push(`${outcome.label}: ${states}`);
    for (const run of completed)
      audit.conclusions.set(run.conclusion ?? 'none', (audit.conclusions.get(run.conclusion ?? 'none') ?? 0) + 1);

    const fingerprints = outcome.reviewCommentBodies
      .map((body) => readState(body, markerKey)?.fingerprint)
      .filter((fingerprint): fingerprint is string => fingerprint !== undefined);
    if (fingerprints.length === 0) audit.lost.push(`${outcome.label}: no review comment carries the finding`);
    const seen = new Set<string>();
    const repeated = new Set(fingerprints.filter((fingerprint) => seen.size === seen.add(fingerprint).size));
    if (repeated.size > 0)
      audit.doubled.push(`${outcome.label}: fingerprint ${[...repeated].join(', ')} posted more than once`);
  }
  return audit;
}
