import type { IncompletePart } from '../engine/scan-source.js';
import type { Finding } from '../engine/types.js';
import type { RepoRef } from '../github/client.js';
import type { BaseComparisonReport } from '../report/base-comparison.js';

/** Everything a worker needs to scan one pull request at one commit; plain data, so it can be queued. */
export interface ScanRequest {
  /** The webhook delivery that asked for the scan: the idempotency key and the log correlation id. */
  deliveryId: string;
  installationId: number;
  /** The base repository; a fork's head commit is read through it. */
  repo: RepoRef;
  /** 0 for a merge group, which belongs to no one pull request. */
  pullNumber: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
  /** The `pull_request` action that asked for the scan (`opened`, `synchronize`, …). */
  trigger: string;
  /** The head lives in another repository. */
  fork: boolean;
  /** How many files the PR changes, as GitHub counts them (it lists 3,000 at most). */
  changedFiles: number;
  /** The check run an earlier attempt created, so a retry completes it instead of adding another. */
  checkRunId?: number;
  /**
   * Set for a merge queue's group (`merge_group.checks_requested`): `headSha` is the group's
   * commit and `baseSha` the base branch it goes onto. Its changes come from the compare API, and
   * only the check run is published (no review, no supersede check: a group's commit never moves).
   */
  mergeGroup?: MergeGroupRef;
}

export interface MergeGroupRef {
  /** `refs/heads/gh-readonly-queue/<base>/pr-<n>-<sha>`: unique per group, so it keys the group's scans. */
  headRef: string;
  baseRef: string;
}

/** A file left out of the scan, with the reason the summary gives. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Something worth knowing about a scanned file (syntax errors, decoding, a rule that threw). */
export interface FileNote {
  path: string;
  message: string;
}

/** What one scan found and left out, ready to be rendered. */
export interface ScanReport {
  headSha: string;
  /** Findings new in the pull request after the config's filters, sorted by path and line. */
  findings: Finding[];
  /** Absent when nothing was compared (no changed Python file). */
  comparison?: BaseComparisonReport;
  filesScanned: number;
  /** Dependency manifests read and checked (none when `dependencies.enabled` is false). */
  manifestsChecked?: number;
  skipped: SkippedFile[];
  /** Changed files that are not Python by the config's globs: counted, not listed. */
  nonPythonCount: number;
  /** Files past GitHub's 3,000-file listing limit. */
  unlistedCount: number;
  /** New findings silenced by `# warden: ignore`, `# nosec` or `# noqa` comments. */
  suppressedCount: number;
  notes: FileNote[];
  /** Files not fully scanned (a rule threw, a time budget ran out): the check cannot succeed. */
  incomplete: IncompletePart[];
  configErrors: string[];
  /** What went wrong while publishing (a review GitHub would not take, …). */
  problems: string[];
}
