import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type {
  RecordedCall,
  RepositoryState,
  PullRequestState,
  ReviewCommentState,
} from '../../dev/github-sim/index.js';
import { appHandles, SCAN_QUIET_MS, scanCallSummary, waitForScan } from '../../dev/scan-watch.js';
import { MarkerKey, readState } from '../../src/report/markers.js';
import { ROOT, startHarness, type Harness } from './harness.js';

/**
 * The built app (`node dist/app/server.js`) against the GitHub simulator: real webhooks with
 * real signatures, real HTTP, every request checked against GitHub's OpenAPI description and
 * documented limits.
 */

const SCAN_TIMEOUT_MS = 120_000;

const SERVICE_V1 = `import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    return subprocess.check_output(f"ping -c 1 {host}", shell=True)


@app.route("/calc")
def calc():
    return str(eval(request.args["expr"]))
`;

/** V1 plus a yaml.load of the request body: one new finding, the old ones unchanged. */
const SERVICE_V2 = SERVICE_V1.replace('import subprocess\n', 'import subprocess\n\nimport yaml\n').concat(`

@app.route("/load", methods=["POST"])
def load():
    return str(yaml.load(request.data))
`);

/** V2 with the eval replaced by a literal parser: the code-injection finding is fixed. */
const SERVICE_V3 = SERVICE_V2.replace('import subprocess\n', 'import ast\nimport subprocess\n').replace(
  'str(eval(request.args["expr"]))',
  'str(ast.literal_eval(request.args["expr"]))',
);

function lineOf(source: string, needle: string): number {
  return source.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

/** The fingerprints in the signed state of the app's comments (the simulator knows the app's secret). */
function fingerprintsOf(comments: ReviewCommentState[]): string[] {
  const key = new MarkerKey(harness.sim.options.webhookSecret);
  return comments.flatMap((comment) => readState(comment.body, key)?.fingerprint ?? []);
}

let harness: Harness;
const callsPerScan: { scan: string; calls: RecordedCall[] }[] = [];
let repoCounter = 0;

beforeAll(async () => {
  harness = await startHarness();
}, 180_000);

afterAll(async () => {
  await harness?.stop();
  const lines = callsPerScan.map(
    ({ scan, calls }) =>
      `  ${scan}: ${calls.length} calls\n${scanCallSummary(calls)
        .map(([route, count]) => `      ${count} × ${route}`)
        .join('\n')}`,
  );
  if (lines.length > 0) process.stderr.write(`API calls per scan (e2e):\n${lines.join('\n')}\n`);
});

function newRepository(files: Record<string, string> = { 'README.md': '# service\n' }): RepositoryState {
  repoCounter += 1;
  return harness.sim.createRepository('octo-org', `service-${repoCounter}`, files);
}

/** Runs `action` (which triggers a scan of the resulting head) and records the calls it cost. */
async function scanned(label: string, repo: RepositoryState, action: () => Promise<string>): Promise<string> {
  const bookmark = harness.sim.calls.length;
  const headSha = await action();
  await waitForScan(harness.sim, repo, headSha, SCAN_TIMEOUT_MS);
  callsPerScan.push({ scan: label, calls: harness.sim.callsSince(bookmark) });
  return headSha;
}

async function openPull(
  repo: RepositoryState,
  files: Record<string, string>,
): Promise<{ pull: PullRequestState; headSha: string }> {
  let pull!: PullRequestState;
  const headSha = await scanned(`open ${repo.store.name} (${Object.keys(files).length} files)`, repo, async () => {
    const opened = await harness.sim.openPullRequest(repo, {
      branch: 'feature',
      title: 'Add endpoints',
      author: 'alice',
      files,
    });
    expect(opened.delivery?.status).toBe(200);
    pull = opened.pull;
    return harness.sim.headCommit(repo, pull).sha;
  });
  return { pull, headSha };
}

async function push(
  repo: RepositoryState,
  pull: PullRequestState,
  label: string,
  files: Record<string, string>,
): Promise<string> {
  return scanned(label, repo, async () => {
    const pushed = await harness.sim.pushToPullRequest(repo, pull, label, files);
    expect(pushed.delivery?.status).toBe(200);
    return pushed.commit.sha;
  });
}

describe('the app on a simulated GitHub', () => {
  test(
    'opening a PR gives a completed check run and one review with inline comments on the vulnerable lines',
    async () => {
      const repo = newRepository();
      const { pull, headSha } = await openPull(repo, { 'service.py': SERVICE_V1 });
      const runs = harness.sim.checkRuns(repo, headSha);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'completed', conclusion: 'failure', name: 'Warden' });
      expect(runs[0].annotations.map((annotation) => annotation.start_line).sort()).toEqual(
        [lineOf(SERVICE_V1, 'shell=True'), lineOf(SERVICE_V1, 'eval(')].sort(),
      );
      const reviews = harness.sim.reviews(repo, pull);
      expect(reviews).toHaveLength(1);
      expect(reviews[0]).toMatchObject({ state: 'COMMENTED', commitId: headSha, user: { login: 'warden[bot]' } });
      const comments = harness.sim.reviewComments(repo, pull);
      expect(comments.map((comment) => [comment.path, comment.line, comment.side]).sort()).toEqual(
        [
          ['service.py', lineOf(SERVICE_V1, 'shell=True'), 'RIGHT'],
          ['service.py', lineOf(SERVICE_V1, 'eval('), 'RIGHT'],
        ].sort(),
      );
      expect(new Set(fingerprintsOf(comments)).size).toBe(2);
      expect(harness.sim.rejections).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );

  test(
    'a push gives only new comments, and a fix gets its comment minimized',
    async () => {
      const repo = newRepository();
      const { pull } = await openPull(repo, { 'service.py': SERVICE_V1 });
      const firstComments = [...harness.sim.reviewComments(repo, pull)];
      expect(firstComments).toHaveLength(2);

      const secondHead = await push(repo, pull, `push a new finding to ${repo.store.name}`, {
        'service.py': SERVICE_V2,
      });
      const added = harness.sim.reviewComments(repo, pull).filter((comment) => !firstComments.includes(comment));
      expect(added.map((comment) => [comment.line, comment.commitId])).toEqual([
        [lineOf(SERVICE_V2, 'yaml.load('), secondHead],
      ]);
      expect(
        fingerprintsOf(added).filter((fingerprint) => fingerprintsOf(firstComments).includes(fingerprint)),
      ).toEqual([]);
      expect(firstComments.every((comment) => comment.minimized === null)).toBe(true);
      expect(harness.sim.checkRuns(repo, secondHead).at(-1)).toMatchObject({
        status: 'completed',
        conclusion: 'failure',
      });

      const beforeFix = harness.sim.reviewComments(repo, pull).length;
      const thirdHead = await push(repo, pull, `fix the eval in ${repo.store.name}`, { 'service.py': SERVICE_V3 });
      const evalComment = firstComments.find((comment) => comment.line === lineOf(SERVICE_V1, 'eval('))!;
      expect(evalComment.minimized).not.toBeNull();
      expect(['RESOLVED', 'OUTDATED']).toContain(evalComment.minimized!.reason);
      expect(evalComment.body).toContain(thirdHead.slice(0, 7));
      const shellComment = firstComments.find((comment) => comment.line === lineOf(SERVICE_V1, 'shell=True'))!;
      expect(shellComment.minimized).toBeNull();
      expect(harness.sim.reviewComments(repo, pull)).toHaveLength(beforeFix);
      expect(harness.sim.rejections).toEqual([]);
    },
    SCAN_TIMEOUT_MS * 2,
  );

  test(
    'a delivery with a forged signature is refused with a 4xx and makes no API call',
    async () => {
      const repo = newRepository();
      const bookmark = harness.sim.calls.length;
      const forged = await harness.sim.openPullRequest(repo, {
        branch: 'feature',
        title: 'Forged',
        author: 'mallory',
        files: { 'service.py': SERVICE_V1 },
        delivery: { signature: `sha256=${'0'.repeat(64)}` },
      });
      expect(forged.delivery!.status).toBeGreaterThanOrEqual(400);
      expect(forged.delivery!.status).toBeLessThan(500);
      await harness.sim.waitForQuiet(2000);
      expect(harness.sim.callsSince(bookmark)).toEqual([]);
      expect(harness.sim.checkRuns(repo)).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );

  test(
    'a 150-file PR with 120 findings completes, with at most 50 annotations per request',
    async () => {
      const repo = newRepository();
      const files: Record<string, string> = {};
      for (let index = 0; index < 150; index += 1) {
        const name = `handlers/handler_${String(index).padStart(3, '0')}.py`;
        files[name] =
          index < 120
            ? `from flask import request\n\n\ndef handler_${index}():\n    return eval(request.args["expr"])\n`
            : `def handler_${index}(value):\n    return value * ${index}\n`;
      }
      const { pull, headSha } = await openPull(repo, files);
      const run = harness.sim.checkRuns(repo, headSha).at(-1)!;
      expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
      expect(run.annotations).toHaveLength(120);
      expect(run.annotationRequests.length).toBeGreaterThanOrEqual(3);
      expect(Math.max(...run.annotationRequests)).toBeLessThanOrEqual(50);
      expect(new Set(run.annotations.map((annotation) => annotation.path)).size).toBe(120);
      const reviews = harness.sim.reviews(repo, pull);
      expect(reviews).toHaveLength(1);
      expect(harness.sim.reviewComments(repo, pull).length).toBeGreaterThan(0);
      const filePages = callsPerScan
        .at(-1)!
        .calls.filter((call) => call.route === '/repos/{owner}/{repo}/pulls/{pull_number}/files');
      expect(filePages.length).toBeGreaterThanOrEqual(2);
      expect(harness.sim.rejections).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );

  const slashCommands = appHandles(ROOT, 'issue_comment');
  if (!slashCommands) {
    // Visible in the test output, so nobody mistakes the missing case for a passing one.
    console.warn('e2e: the built app has no issue_comment handler; the unauthorized-rescan test is left out');
  }
  (slashCommands ? test : test.skip)(
    'a rescan asked for by a user without write access does nothing',
    async () => {
      const repo = newRepository();
      const { pull, headSha } = await openPull(repo, { 'service.py': SERVICE_V1 });
      harness.sim.setPermission(repo, 'visitor', 'read');
      const runsBefore = harness.sim.checkRuns(repo, headSha).length;
      const bookmark = harness.sim.calls.length;
      const { delivery } = await harness.sim.commentOnPullRequest(repo, pull, 'visitor', '/warden rescan');
      expect(delivery?.status).toBe(200);
      await harness.sim.waitForQuiet(SCAN_QUIET_MS);
      const calls = harness.sim.callsSince(bookmark);
      expect(calls.filter((call) => call.route === '/repos/{owner}/{repo}/check-runs')).toEqual([]);
      expect(harness.sim.checkRuns(repo, headSha)).toHaveLength(runsBefore);
      expect(harness.sim.rejections).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );
});
