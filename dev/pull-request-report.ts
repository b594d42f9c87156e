import type { GitHubSimulator, PullRequestState, RepositoryState } from './github-sim/index.js';
import type { PullRequestReport, ReportComment } from './report-html.js';

/** What the PR page shows right now, gathered from the simulator's state. */
export function pullRequestReport(
  sim: GitHubSimulator,
  repo: RepositoryState,
  pull: PullRequestState,
): PullRequestReport {
  const head = sim.headCommit(repo, pull);
  const changed = repo.store.changedFiles(sim.mergeBase(repo, pull).sha, head.sha, sim.urls.api);
  const files = changed.map((file) => {
    const content = head.files.get(file.filename);
    return {
      filename: file.filename,
      status: file.status,
      ...(file.patch !== undefined ? { patch: file.patch } : {}),
      headLines: content ? content.toString('utf8').split('\n') : [],
    };
  });
  const comments: ReportComment[] = sim.reviewComments(repo, pull).map((comment) => {
    // Where GitHub shows the comment now: moved with the lines above it, or outdated.
    const placement = sim.placement(repo, comment);
    return {
      id: comment.id,
      path: comment.path,
      line: placement.line ?? comment.line,
      startLine: placement.line === null ? comment.startLine : placement.startLine,
      side: comment.side,
      body: comment.body,
      author: comment.user.login,
      minimizedReason: comment.minimized?.reason ?? null,
      outdated: placement.line === null,
      diffHunk: comment.diffHunk,
    };
  });
  const checkRuns = [...sim.checkRuns(repo)]
    .reverse()
    .filter((run) => sim.pullCommits(repo, pull).some((commit) => commit.sha === run.headSha))
    .map((run) => ({
      name: run.name,
      headSha: run.headSha,
      status: run.status,
      conclusion: run.conclusion,
      title: run.output.title,
      summary: run.output.summary,
      annotationCount: run.annotations.length,
    }));
  const latestRun = sim.checkRuns(repo, head.sha).at(-1);
  const annotations = (latestRun?.annotations ?? []).map((annotation) => ({
    path: String(annotation.path),
    line: Number(annotation.start_line),
    level: String(annotation.annotation_level),
    title: typeof annotation.title === 'string' ? annotation.title : '',
    message: String(annotation.message),
  }));
  return {
    annotations,
    repository: `${repo.store.owner}/${repo.store.name}`,
    number: pull.number,
    title: pull.title,
    author: pull.user.login,
    headSha: head.sha,
    files,
    comments,
    checkRuns,
  };
}
