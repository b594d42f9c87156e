import type { GitHubSimulator, PullRequestState, RepositoryState, ReviewCommentState } from './github-sim/index.js';
import type { PullRequestReport, ReportComment } from './report-html.js';

/** GitHub calls a comment outdated when the line it was made on no longer reads the same at the head. */
function isOutdated(comment: ReviewCommentState, headSha: string, headLines: string[] | undefined): boolean {
  if (comment.commitId === headSha) return false;
  const commented = comment.diffHunk.split('\n').pop() ?? '';
  if (comment.side === 'LEFT' || commented.startsWith('-')) return true;
  return headLines?.[comment.line - 1] !== commented.slice(1);
}

/** What the PR page shows right now, gathered from the simulator's state. */
export function pullRequestReport(sim: GitHubSimulator, repo: RepositoryState, pull: PullRequestState): PullRequestReport {
  const head = sim.headCommit(repo, pull);
  const changed = repo.store.changedFiles(sim.mergeBase(repo, pull).sha, head.sha, sim.urls.api);
  const files = changed.map((file) => {
    const content = head.files.get(file.filename);
    return { filename: file.filename, status: file.status, ...(file.patch !== undefined ? { patch: file.patch } : {}), headLines: content ? content.toString('utf8').split('\n') : [] };
  });
  const linesByPath = new Map(files.map((file) => [file.filename, file.headLines]));
  const comments: ReportComment[] = sim.reviewComments(repo, pull).map((comment) => ({
    id: comment.id,
    path: comment.path,
    line: comment.line,
    startLine: comment.startLine,
    side: comment.side,
    body: comment.body,
    author: comment.user.login,
    minimizedReason: comment.minimized?.reason ?? null,
    outdated: isOutdated(comment, head.sha, linesByPath.get(comment.path)),
    diffHunk: comment.diffHunk,
  }));
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
  return {
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
