import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AppProcess, generateAppCredentials } from './app-process.js';
import { DEMO_FIXTURES, readFolder, ROOT } from './fixtures.js';
import {
  GitHubSimulator,
  type RecordedCall,
  type RepositoryState,
  type PullRequestState,
  type ReviewCommentState,
} from './github-sim/index.js';
import { pullRequestReport } from './pull-request-report.js';
import { renderPullRequestReport } from './report-html.js';
import { appHandles, SCAN_QUIET_MS, scanCallSummary, waitForScan } from './scan-watch.js';
import { MarkerKey, readState } from '../src/report/markers.js';

/**
 * `npm run demo`: a PR against a small Flask service, replayed on the GitHub simulator with the
 * real app (started by `npm start`) answering its webhooks. Prints what the PR page would show
 * and writes demo/report.html. Exits non-zero, saying why, when something a user would expect
 * did not happen.
 */

const REPORT_PATH = join(ROOT, 'demo', 'report.html');
const OWNER = 'octo-org';
const REPO = 'orders-service';
const AUTHOR = 'alice';
const MAINTAINER = 'mona';

const out = (text = ''): void => void process.stdout.write(`${text}\n`);

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : prefix + line))
    .join('\n');
}

function withoutHtmlComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, '').trim();
}

function heading(text: string): void {
  out('');
  out(`━━ ${text} ${'━'.repeat(Math.max(3, 90 - text.length))}`);
}

/** The fingerprints in the signed state of the app's comments (the simulator knows the app's secret). */
function fingerprints(sim: GitHubSimulator, comments: ReviewCommentState[]): Set<string> {
  const key = new MarkerKey(sim.options.webhookSecret);
  return new Set(comments.flatMap((comment) => readState(comment.body, key)?.fingerprint ?? []));
}

function lineOf(repo: RepositoryState, sha: string, path: string, needle: string): number {
  const lines = repo.store.commit(sha)!.files.get(path)!.toString('utf8').split('\n');
  return lines.findIndex((line) => line.includes(needle)) + 1;
}

class Demo {
  readonly problems: string[] = [];

  constructor(
    private readonly sim: GitHubSimulator,
    private readonly repo: RepositoryState,
  ) {}

  expect(condition: boolean, problem: string): void {
    if (!condition) this.problems.push(problem);
  }

  printCalls(calls: RecordedCall[]): void {
    out(`  API calls the app made for this scan: ${calls.length}`);
    for (const [route, count] of scanCallSummary(calls)) out(`    ${String(count).padStart(3)} × ${route}`);
  }

  /** Triggers a rescan of `headSha` and waits for the new check run it should produce. */
  async rescan<T>(headSha: string, trigger: () => Promise<T>): Promise<T> {
    const bookmark = this.sim.calls.length;
    const runsBefore = this.sim.checkRuns(this.repo, headSha).length;
    const result = await trigger();
    await this.sim.waitFor('a new check run after the rescan request', () => {
      const runs = this.sim.checkRuns(this.repo, headSha);
      return runs.length > runsBefore && runs.at(-1)!.status === 'completed';
    });
    await this.sim.waitForQuiet(SCAN_QUIET_MS);
    this.printCalls(this.sim.callsSince(bookmark));
    this.printCheckRun(headSha);
    return result;
  }

  printCheckRun(headSha: string): void {
    const run = this.sim.checkRuns(this.repo, headSha).at(-1);
    if (!run) return;
    heading(
      `Check run "${run.name}" on ${headSha.slice(0, 7)}: ${run.status}, ${run.conclusion ?? 'no conclusion'} (${run.annotations.length} annotations)`,
    );
    if (run.output.title) out(`  ${run.output.title}`);
    out(indent(withoutHtmlComments(run.output.summary ?? '(no summary)')));
  }

  printComments(pull: PullRequestState, comments: ReviewCommentState[], label: string): void {
    heading(`${label}: ${comments.length} inline comment${comments.length === 1 ? '' : 's'}`);
    for (const review of this.sim
      .reviews(this.repo, pull)
      .filter((candidate) => comments.some((comment) => comment.reviewId === candidate.id))) {
      out(`  Review by ${review.user.login} (${review.state}):`);
      out(indent(withoutHtmlComments(review.body)));
    }
    for (const comment of comments) {
      const code =
        this.repo.store.commit(comment.commitId)!.files.get(comment.path)!.toString('utf8').split('\n')[
          comment.line - 1
        ] ?? '';
      out('');
      out(`  ${comment.path}:${comment.startLine ? `${comment.startLine}-` : ''}${comment.line}  │ ${code.trim()}`);
      out(indent(withoutHtmlComments(comment.body)));
    }
  }
}

async function runDemo(sim: GitHubSimulator): Promise<string[]> {
  const repo = sim.createRepository(OWNER, REPO, readFolder(join(DEMO_FIXTURES, 'main')));
  sim.setPermission(repo, AUTHOR, 'write');
  sim.setPermission(repo, MAINTAINER, 'maintain');
  const demo = new Demo(sim, repo);

  heading(`1. ${AUTHOR} opens a pull request on ${OWNER}/${REPO}`);
  const firstFiles = readFolder(join(DEMO_FIXTURES, 'pr-commit-1'));
  let bookmark = sim.calls.length;
  const opened = await sim.openPullRequest(repo, {
    branch: 'orders-endpoints',
    title: 'Add orders, ping and settings endpoints',
    author: AUTHOR,
    files: firstFiles,
  });
  const { pull } = opened;
  const firstHead = sim.headCommit(repo, pull).sha;
  out(`  PR #${pull.number} "${pull.title}" at ${firstHead.slice(0, 7)}: ${Object.keys(firstFiles).join(', ')}`);
  out(`  webhook pull_request.opened → ${opened.delivery?.status} in ${opened.delivery?.durationMs} ms`);
  await waitForScan(sim, repo, firstHead);
  demo.printCalls(sim.callsSince(bookmark));
  demo.printCheckRun(firstHead);
  const firstComments = sim.reviewComments(repo, pull);
  demo.printComments(pull, firstComments, 'Review on the first commit');
  const firstRun = sim.checkRuns(repo, firstHead).at(-1);
  demo.expect(
    firstRun?.status === 'completed' && firstRun.conclusion !== null,
    `the check run on ${firstHead.slice(0, 7)} did not complete`,
  );
  demo.expect(firstComments.length > 0, 'the first review has no inline comment');

  heading(`2. ${AUTHOR} pushes a commit that parameterizes the SQL query and adds an eval`);
  bookmark = sim.calls.length;
  const pushed = await sim.pushToPullRequest(
    repo,
    pull,
    'Parameterize the orders query; add discount rules',
    readFolder(join(DEMO_FIXTURES, 'pr-commit-2')),
  );
  const secondHead = pushed.commit.sha;
  out(
    `  head is now ${secondHead.slice(0, 7)}; webhook pull_request.synchronize → ${pushed.delivery?.status} in ${pushed.delivery?.durationMs} ms`,
  );
  await waitForScan(sim, repo, secondHead);
  demo.printCalls(sim.callsSince(bookmark));
  demo.printCheckRun(secondHead);
  const secondComments = sim.reviewComments(repo, pull).filter((comment) => !firstComments.includes(comment));
  demo.printComments(pull, secondComments, 'Review on the second commit (new findings only)');
  const secondRun = sim.checkRuns(repo, secondHead).at(-1);
  demo.expect(
    secondRun?.status === 'completed' && secondRun.conclusion !== null,
    `the check run on ${secondHead.slice(0, 7)} did not complete`,
  );
  const repeated = [...fingerprints(sim, secondComments)].filter((fingerprint) =>
    fingerprints(sim, firstComments).has(fingerprint),
  );
  demo.expect(repeated.length === 0, `the second review repeats ${repeated.length} finding(s) already commented on`);
  const evalLine = lineOf(repo, secondHead, 'app.py', 'eval(');
  demo.expect(
    secondComments.some((comment) => comment.path === 'app.py' && comment.line === evalLine),
    `no new comment on the eval at app.py:${evalLine}`,
  );
  const sqlLine = lineOf(repo, firstHead, 'app.py', 'db().execute(');
  const sqlComment = firstComments.find((comment) => comment.path === 'app.py' && comment.line === sqlLine);
  demo.expect(sqlComment !== undefined, `no comment on the SQL query at app.py:${sqlLine} in the first review`);
  if (sqlComment) {
    out('');
    out(
      `  The comment on the fixed SQL query (app.py:${sqlLine}) is now ${sqlComment.minimized ? `minimized as ${sqlComment.minimized.reason}` : 'still shown'}:`,
    );
    out(indent(withoutHtmlComments(sqlComment.body).split('\n').slice(0, 3).join('\n')));
    demo.expect(sqlComment.minimized !== null, 'the comment on the fixed SQL injection was not minimized');
  }

  heading(`3. ${MAINTAINER} asks for a rescan with a comment`);
  if (!appHandles(ROOT, 'issue_comment')) {
    out('  Skipped: this build of the app has no issue_comment handler, so `/warden rescan` would do nothing.');
  } else {
    const commented = await demo.rescan(secondHead, async () => {
      const result = await sim.commentOnPullRequest(repo, pull, MAINTAINER, '/warden rescan');
      out(`  "/warden rescan" → webhook issue_comment.created → ${result.delivery?.status}`);
      return result.comment;
    });
    out(`  Reactions on the command: ${commented.reactions.map((reaction) => reaction.content).join(', ') || 'none'}`);
    demo.expect(
      commented.reactions.some((reaction) => reaction.content === 'eyes'),
      'the rescan command got no 👀 reaction',
    );
  }

  const latestRun = sim.checkRuns(repo, secondHead).at(-1)!;
  const rescanButton = latestRun.actions.find((action) => action.identifier === 'rescan');
  const buttonLabel = typeof rescanButton?.label === 'string' ? rescanButton.label : 'Rescan';
  heading(`4. ${MAINTAINER} presses the check run's "${buttonLabel}" button`);
  if (!rescanButton) {
    out('  Skipped: the check run offers no rescan button.');
  } else if (!appHandles(ROOT, 'check_run')) {
    out('  Skipped: this build of the app has no check_run handler, so the button would do nothing.');
  } else {
    await demo.rescan(secondHead, async () => {
      const delivery = await sim.pressCheckRunAction(repo, latestRun, 'rescan', MAINTAINER);
      out(`  webhook check_run.requested_action → ${delivery?.status}`);
    });
  }

  writeFileSync(REPORT_PATH, renderPullRequestReport(pullRequestReport(sim, repo, pull)));
  heading('The PR page');
  out(
    `  ${relative(process.cwd(), REPORT_PATH) || REPORT_PATH} renders the files with their inline comments, as GitHub shows them.`,
  );

  for (const rejection of sim.rejections)
    demo.problems.push(
      `GitHub would have refused ${rejection.method} ${rejection.path}: ${rejection.status} ${rejection.message}`,
    );
  for (const delivery of sim.deliveries.filter((candidate) => candidate.status < 200 || candidate.status >= 300)) {
    demo.problems.push(
      `the app answered webhook ${delivery.event}.${delivery.action} with ${delivery.status}: ${delivery.response.slice(0, 200)}`,
    );
  }
  return demo.problems;
}

async function main(): Promise<number> {
  if (!existsSync(join(ROOT, 'dist', 'app', 'server.js'))) {
    process.stderr.write('demo: dist/app/server.js is missing; run `npm run build` first (npm run demo does).\n');
    return 2;
  }
  const credentials = generateAppCredentials();
  const sim = await GitHubSimulator.start({
    appId: credentials.appId,
    appKey: credentials.privateKey,
    webhookSecret: credentials.webhookSecret,
    log: (line) => process.stderr.write(`github-sim: ${line}\n`),
  });
  let app: AppProcess | undefined;
  try {
    out(`GitHub simulator on http://${sim.host}; starting the app with \`npm start\`…`);
    // The demo replays in seconds what takes a team minutes, so rescans need no cooldown here.
    app = await AppProcess.start({
      credentials,
      gheHost: sim.host,
      command: ['npm', 'start', '--silent'],
      cwd: ROOT,
      env: { WARDEN_RESCAN_COOLDOWN_SECONDS: '0' },
    });
    sim.webhookUrl = app.webhookUrl;
    out(`The app listens on ${app.url}.`);
    const problems = await runDemo(sim);
    out('');
    if (problems.length > 0) {
      process.stderr.write(`demo: FAILED\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
      if (app.log().trim()) process.stderr.write(`app output:\n${indent(app.log().slice(-4000))}\n`);
      return 1;
    }
    out('demo: everything a user would expect happened.');
    return 0;
  } catch (error) {
    process.stderr.write(`demo: FAILED: ${(error as Error).message}\n`);
    if (app?.log().trim()) process.stderr.write(`app output:\n${indent(app.log().slice(-4000))}\n`);
    return 1;
  } finally {
    await app?.stop();
    await sim.close();
  }
}

process.exitCode = await main();
