import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load.js';
import { enabledRules } from '../config/rule-settings.js';
import { dependencyRules } from '../deps/check.js';
import { templateChecksEnabled } from '../templates/settings.js';
import { templateRule } from '../templates/unescaped-output.js';
import { isCurrentFingerprint } from '../engine/fingerprint.js';
import type { AnyRule } from '../engine/rule.js';
import type { Finding, RuleMeta, Severity } from '../engine/types.js';
import {
  appendAnnotations,
  completeCheckRun,
  createCheckRun,
  latestRunStartedAt,
  type CheckConclusion,
  type CheckRunOutcome,
} from '../github/check-runs.js';
import type { GitHubClient } from '../github/client.js';
import type { AppIdentity } from '../github/identity.js';
import { loadRepoConfig } from '../github/config.js';
import { isTransient, rateLimitDelayMs } from '../github/rate-limits.js';
import { currentHeadSha, listComparedFiles, listPullFiles, PULL_FILES_LIMIT } from '../github/pull-files.js';
import { postReview, resolvePostedComment } from '../github/reviews.js';
import { toAnnotation } from '../report/annotations.js';
import { checkTitle, renderCheckSummary } from '../report/check-summary.js';
import type { DismissedFinding } from '../report/conversation.js';
import type { MarkerKey } from '../report/markers.js';
import { renderFixedComment } from '../report/review.js';
import { RetryableScanError } from '../queue/types.js';
import { allRules } from '../rules/index.js';
import { dependencySettings } from '../deps/settings.js';
import { comparisonReport } from './base-compare.js';
import { failureExplanation } from './failure.js';
import { engineSettings } from './file-scan.js';
import { applyPolicy, checkConclusion, meetsThreshold } from './policy.js';
import { listFingerprintsInReviewBodies, listPostedComments, type PostedComment } from './posted-comments.js';
import { applyRepositoryBaseline } from './repository-baseline.js';
import { planReview } from './review-plan.js';
import { scanPullFiles, type FilesScan } from './scan-files.js';
import { selectFiles } from './select-files.js';
import type { PullRequestReport } from '../report/pull-request.js';
import { settleThreadsOrLog } from './thread-resolution.js';
import type { ScanRequest } from './types.js';

/** What a scan needs from its surroundings; a queue worker builds these per job. */
export interface ScanDeps {
  /** Authenticated as the installation in `request.installationId`. */
  octokit: GitHubClient;
  logger: Logger;
  /** Who Warden is on GitHub: state is read from its own comments and reviews only. */
  identity: AppIdentity;
  /** Signs the state of the comments Warden writes, and verifies it when reading them back. */
  markerKey: MarkerKey;
  /** The rule registry to draw from (default: every rule); the config then switches rules off. */
  rules?: readonly AnyRule[];
  /** Aborted when a newer head SHA supersedes this scan: nothing is published after that. */
  signal?: AbortSignal;
  /**
   * Asks for a scan of the PR's real head when this scan found it superseded by a commit that
   * has no Warden run yet: deliveries can arrive out of order, so the newest head's own request
   * may already have been dropped as "older" by the queue.
   */
  requestScanOf?: (headSha: string) => Promise<void>;
  /**
   * False when a queue will retry this scan after a transient failure: the check run then stays
   * in progress for the retry instead of completing as neutral. Default true.
   */
  finalAttempt?: boolean;
  /** Takes the head's one check run for this scan; false when another scan owns it (see `ScanAttempt`). */
  claimHead?: () => Promise<boolean>;
  /** Stores the new check run's id with the queued job, so a retry after a crash completes it. */
  checkRunCreated?: (checkRunId: number) => Promise<void>;
}

export type ScanOutcome =
  | { status: 'skipped'; reason: string }
  | {
      status: 'completed';
      conclusion: CheckConclusion;
      findings: number;
      findingsBySeverity: Record<Severity, number>;
      inlineComments: number;
      resolvedComments: number;
    }
  | { status: 'superseded'; by: string }
  /** Another scan owns the head's check run. */
  | { status: 'duplicate' }
  | { status: 'failed'; error: string };

/** Which step the scan was in, for the explanation when it fails. */
interface Progress {
  stage: string;
}

/** One scan in flight: what it scans, with what, into which check run, and how far it got. */
interface ScanRun {
  request: ScanRequest;
  deps: ScanDeps;
  checkRunId: number;
  progress: Progress;
  log: Logger;
}

/**
 * Scans one pull request at one head SHA and publishes the result: one check run (always
 * completed, whatever happens) and at most one review with only what is new. Never throws.
 */
export async function runScan(request: ScanRequest, deps: ScanDeps): Promise<ScanOutcome> {
  const { repo, pullNumber, headSha, deliveryId } = request;
  const log = deps.logger.child({
    repo: `${repo.owner}/${repo.repo}`,
    pr: pullNumber,
    sha: headSha,
    deliveryId,
    fork: request.fork,
  });
  let preloaded: LoadedConfig | undefined;
  if (request.draft) {
    // Drafts are skipped before any check run exists, unless the config asks for them.
    try {
      preloaded = await loadRepoConfig(deps.octokit, repo);
    } catch (error) {
      log.error({ err: error }, 'cannot read the config of a draft pull request');
      return { status: 'failed', error: (error as Error).message };
    }
    if (!preloaded.config.drafts) {
      log.info('draft pull request skipped (`drafts: false`)');
      return { status: 'skipped', reason: 'draft' };
    }
  }

  let checkRunId: number;
  try {
    if (request.checkRunId === undefined && deps.claimHead && !(await deps.claimHead())) {
      log.info('another scan owns the check run of this head');
      return { status: 'duplicate' };
    }
    checkRunId = request.checkRunId ?? (await openCheckRun(request, deps, log));
  } catch (error) {
    if (deps.finalAttempt === false && isTransient(error)) throw new RetryableScanError(error, {});
    log.error({ err: error }, 'cannot create the check run');
    return { status: 'failed', error: (error as Error).message };
  }

  const progress: Progress = { stage: 'reading the configuration' };
  try {
    return await scanAndPublish({ request, deps, checkRunId, progress, log }, preloaded);
  } catch (error) {
    if (deps.finalAttempt === false && isTransient(error)) {
      log.warn({ err: error, stage: progress.stage }, 'scan failed; it will be retried');
      throw new RetryableScanError(error, { checkRunId });
    }
    log.error({ err: error, stage: progress.stage }, 'scan failed');
    const explanation = failureExplanation(error, progress.stage);
    try {
      await completeCheckRun(deps.octokit, repo, checkRunId, {
        conclusion: 'neutral',
        title: explanation.title,
        summary: explanation.summary,
        annotations: [],
      });
    } catch (completionError) {
      log.error({ err: completionError }, 'cannot complete the check run after a failure');
    }
    return { status: 'failed', error: (error as Error).message };
  }
}

async function openCheckRun(request: ScanRequest, deps: ScanDeps, log: Logger): Promise<number> {
  const externalId = request.mergeGroup ? request.mergeGroup.headRef : String(request.pullNumber);
  const checkRunId = await createCheckRun(deps.octokit, request.repo, request.headSha, externalId);
  try {
    await deps.checkRunCreated?.(checkRunId);
  } catch (error) {
    // The scan goes on; only a crash before it ends would leave this run to be completed by hand.
    log.warn({ err: error, checkRunId }, 'cannot store the check run id with the job');
  }
  return checkRunId;
}

async function scanAndPublish(run: ScanRun, preloaded: LoadedConfig | undefined): Promise<ScanOutcome> {
  const { request, deps, checkRunId, progress, log } = run;
  const { octokit } = deps;
  const { repo, pullNumber, headSha } = request;
  const { config, errors: configErrors } = preloaded ?? (await loadRepoConfig(octokit, repo));
  if (configErrors.length > 0) log.warn({ configErrors }, 'invalid config; the broken keys use their defaults');

  progress.stage = 'listing the changed files';
  const files = request.mergeGroup
    ? await listComparedFiles(octokit, repo, request.baseSha, headSha)
    : await listPullFiles(octokit, repo, pullNumber);
  const dependencies = dependencySettings(config);
  const templates = templateChecksEnabled(config);
  const selection = selectFiles(files, config.paths, { manifests: dependencies !== undefined, templates });

  progress.stage = 'reading and scanning the changed files';
  const rules = enabledRules(config, deps.rules ?? allRules);
  const manifests =
    dependencies && selection.manifests.length > 0 ? { files: selection.manifests, settings: dependencies } : undefined;
  const scanDeadline = Date.now() + config.time_budget.pull_request_seconds * 1000;
  const scan = await scanPullFiles(
    octokit,
    request,
    selection.candidates,
    engineSettings(config, rules, scanDeadline),
    manifests,
  );

  const counted = (found: readonly Finding[]) =>
    applyPolicy(
      found.filter((finding) => !finding.suppressed),
      config,
    ).sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  const reported = counted(scan.introduced);

  if (deps.signal?.aborted) {
    // The queue saw a newer delivery: no need to read the review comments if GitHub agrees.
    const superseded = await supersededOrNot(request, deps, checkRunId, progress, log);
    if (superseded) return superseded;
  }

  // A merge group is gated by its check run alone: its findings were reviewed on their pull requests.
  const reviewing = config.comments.mode === 'review' && !request.mergeGroup;
  progress.stage = 'reading earlier review comments';
  const posted = reviewing ? await listPostedComments(octokit, repo, pullNumber, deps.identity, deps.markerKey) : [];
  // Findings someone dismissed on their comment stay out of the review, the annotations and the conclusion.
  progress.stage = 'reading the baseline';
  const baselined = await applyRepositoryBaseline(octokit, repo, config.baseline, reported);
  const { counted: findings, dismissed } = withoutDismissed(baselined.findings, posted);
  const report: PullRequestReport = {
    headSha,
    findings,
    filesScanned: scan.pythonFiles,
    templatesScanned: scan.templates,
    manifestsChecked: scan.manifests,
    skipped: [...selection.skipped, ...scan.skipped],
    nonPythonCount: selection.nonPythonCount,
    unlistedCount: request.changedFiles > PULL_FILES_LIMIT ? request.changedFiles - PULL_FILES_LIMIT : 0,
    suppressedCount: scan.introduced.filter((finding) => finding.suppressed).length,
    comparison: comparisonReport(scan.comparisons, counted),
    notes: [...scan.notes, ...baselined.notes],
    incomplete: scan.incomplete,
    configErrors,
    problems: [],
  };

  const superseded = await supersededOrNot(request, deps, checkRunId, progress, log);
  if (superseded) return superseded;

  progress.stage = 'posting the review';
  let inlineComments = 0;
  if (reviewing) {
    const metas = new Map<string, RuleMeta>([
      ...rules.map((rule) => [rule.id, rule.meta] as const),
      ...Object.entries(dependencyRules),
      [templateRule.id, templateRule.meta],
    ]);
    const review = await publishReview(run, { findings, posted, scan, metas, comments: config.comments });
    inlineComments = review.inlineComments;
    if (review.problem) report.problems.push(review.problem);
  }

  progress.stage = 'completing the check run';
  const conclusion = checkConclusion(findings, config.fail_on, report.incomplete.length > 0);
  const outcome: CheckRunOutcome = {
    conclusion,
    title: checkTitle(report, dismissed.length),
    summary: renderCheckSummary(report, dismissed),
    annotations: findings.map(toAnnotation),
  };
  await completeCheckRun(octokit, repo, checkRunId, outcome);
  // From here on the run has its conclusion; later failures are logged, never turned into a neutral run.
  try {
    await appendAnnotations(octokit, repo, checkRunId, outcome);
  } catch (error) {
    log.warn({ err: error }, 'cannot append the annotations past the first 50');
  }

  const resolvedComments = await resolveFixedComments(
    run,
    posted,
    scan,
    new Set([...rules.map((rule) => rule.id), ...scan.dependencyRulesRun, ...(templates ? [templateRule.id] : [])]),
  );
  log.info({ conclusion, findings: findings.length, inlineComments, resolvedComments }, 'scan published');
  const findingsBySeverity: Record<Severity, number> = { low: 0, medium: 0, high: 0 };
  for (const finding of findings) findingsBySeverity[finding.severity]++;
  return {
    status: 'completed',
    conclusion,
    findings: findings.length,
    findingsBySeverity,
    inlineComments,
    resolvedComments,
  };
}

/** Splits the findings into those that count and those a person dismissed on their comment. */
function withoutDismissed(
  findings: readonly Finding[],
  posted: readonly PostedComment[],
): { counted: Finding[]; dismissed: DismissedFinding[] } {
  const triages = new Map(
    posted.flatMap((comment) =>
      comment.triage && !comment.fixed ? [[comment.fingerprint, comment.triage] as const] : [],
    ),
  );
  const counted: Finding[] = [];
  const dismissed: DismissedFinding[] = [];
  for (const finding of findings) {
    const triage = triages.get(finding.fingerprint);
    if (triage) dismissed.push({ ruleId: finding.ruleId, path: finding.path, line: finding.line, triage });
    else counted.push(finding);
  }
  return { counted, dismissed };
}

/**
 * Supersedes the scan when the pull request's head moved on. GitHub decides, even when the queue
 * cancelled the scan: deliveries arrive out of order, so the SHA that cancelled it may be older.
 */
async function supersededOrNot(
  request: ScanRequest,
  deps: ScanDeps,
  checkRunId: number,
  progress: Progress,
  log: Logger,
): Promise<ScanOutcome | undefined> {
  // A merge group's commit never moves: the queue makes a new group instead.
  if (request.mergeGroup) return undefined;
  const { octokit } = deps;
  const { repo, pullNumber, headSha } = request;
  progress.stage = 'checking that the scanned commit is still the head';
  const head = await currentHeadSha(octokit, repo, pullNumber);
  if (head === headSha) return undefined;
  const outcome = await supersede(octokit, request, checkRunId, head, log);
  if (deps.requestScanOf && (await latestRunStartedAt(octokit, repo, head)) === undefined) {
    log.info({ head }, 'the head has no Warden run yet; asking for its scan');
    await deps.requestScanOf(head);
  }
  return outcome;
}

/** Drops the results of a scan whose commit is no longer the head; its check run still completes. */
async function supersede(
  octokit: GitHubClient,
  request: ScanRequest,
  checkRunId: number,
  head: string,
  log: Logger,
): Promise<ScanOutcome> {
  log.info({ head }, 'pull request moved on during the scan; results dropped');
  const shown = /^[0-9a-f]{7,}$/.test(head) ? `\`${head.slice(0, 7)}\`` : head;
  await completeCheckRun(octokit, request.repo, checkRunId, {
    conclusion: 'neutral',
    title: `Superseded by ${shown.replace(/`/g, '')}`,
    summary: `The pull request's head moved to ${shown} while \`${request.headSha.slice(0, 7)}\` was being scanned, so these results were dropped; the newer commit gets its own check run.`,
    annotations: [],
  });
  return { status: 'superseded', by: head };
}

/** What a review is made of: this scan's findings, the comments already posted, and the config's `comments`. */
interface ReviewInput {
  findings: readonly Finding[];
  posted: readonly PostedComment[];
  scan: FilesScan;
  metas: ReadonlyMap<string, RuleMeta>;
  comments: LoadedConfig['config']['comments'];
}

interface PublishedReview {
  inlineComments: number;
  /** Why the review could not be posted, for the check run's summary. */
  problem?: string;
}

/**
 * Posts one review with the findings no earlier comment of ours carries. A review that cannot
 * be posted does not sink the scan: the check run still carries every finding, and says so.
 */
async function publishReview(
  { deps, request, log }: ScanRun,
  { findings, posted, scan, metas, comments }: ReviewInput,
): Promise<PublishedReview> {
  const alreadyCommented = new Set(posted.filter((comment) => !comment.fixed).map((comment) => comment.fingerprint));
  let fresh = findings.filter(
    (finding) => meetsThreshold(finding, comments) && !alreadyCommented.has(finding.fingerprint),
  );
  if (fresh.length === 0) return { inlineComments: 0 };
  try {
    // A newly opened PR has no earlier reviews of ours; for any other trigger, findings an
    // earlier review listed in its body are not new either.
    if (request.trigger !== 'opened') {
      const listed = await listFingerprintsInReviewBodies(
        deps.octokit,
        request.repo,
        request.pullNumber,
        deps.identity,
        deps.markerKey,
      );
      fresh = fresh.filter((finding) => !listed.has(finding.fingerprint));
      if (fresh.length === 0) return { inlineComments: 0 };
    }
    const plan = planReview(fresh, scan.files, {
      metas,
      headSha: request.headSha,
      maxComments: comments.max_comments,
      markerKey: deps.markerKey,
    });
    const posting = await postReview(deps.octokit, request.repo, request.pullNumber, request.headSha, plan.draft);
    if (posting === 'without-comments' && plan.draft.comments.length > 0) {
      log.warn('GitHub rejected the inline comments (422); the review was posted with the findings in its body');
      return { inlineComments: 0 };
    }
    return { inlineComments: plan.draft.comments.length };
  } catch (error) {
    // Still rate-limited after the waits: a queue that retries the scan posts the review later.
    if (deps.finalAttempt === false && rateLimitDelayMs(error) !== undefined) throw error;
    log.error({ err: error }, 'cannot post the review');
    return {
      inlineComments: 0,
      problem: `The review could not be posted (${(error as Error).message.split('\n')[0]}); every finding is listed here and in the annotations.`,
    };
  }
}

/**
 * Our comments whose finding is gone from a file this scan read again, with its rule still
 * running, are edited to say so and minimized, unless a person replied to them.
 */
async function resolveFixedComments(
  { deps, request, log }: ScanRun,
  posted: readonly PostedComment[],
  scan: FilesScan,
  ranRules: ReadonlySet<string>,
): Promise<number> {
  const stillThere = new Set(scan.findings.map((finding) => finding.fingerprint));
  const gone = posted.filter(
    (comment) =>
      !comment.fixed &&
      !comment.hasHumanReply &&
      // An older Warden's fingerprint can never match: its finding may well still be there.
      isCurrentFingerprint(comment.fingerprint) &&
      ranRules.has(comment.ruleId) &&
      scan.files.has(comment.path) &&
      !stillThere.has(comment.fingerprint),
  );
  const resolved: number[] = [];
  for (const comment of gone) {
    try {
      await resolvePostedComment(
        deps.octokit,
        request.repo,
        comment,
        renderFixedComment(comment.fingerprint, comment.ruleId, request.headSha, deps.markerKey),
      );
      resolved.push(comment.id);
    } catch (error) {
      log.warn({ err: error, commentId: comment.id }, "cannot mark a fixed finding's comment");
    }
  }
  const { repo, pullNumber } = request;
  await settleThreadsOrLog(deps.octokit, { repo, pullNumber, commentIds: resolved, resolved: true }, log);
  return resolved.length;
}
