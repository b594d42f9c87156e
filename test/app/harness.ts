import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from '@jest/globals';
import { createTwoFilesPatch } from 'diff';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createWardenApp } from '../../src/app/index.js';
import { InProcessScanQueue } from '../../src/queue/in-process.js';
import { MarkerKey } from '../../src/report/markers.js';
import { createScanProcessor } from '../../src/scan/worker.js';
import subprocessShellTrue from '../../src/rules/injection/subprocess-shell-true.js';
import type { AnyRule } from '../../src/engine/rule.js';
import { scanSource } from '../../src/engine/scan-source.js';
import type { ScanJob, ScanRequest } from '../../src/scan/types.js';
import evalOfVariable from '../fixtures/github/eval-of-variable.js';

export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const PR = 2;
export const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
export const CHECK_RUN_ID = 4242;
export const API = 'https://api.github.com';
const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/** A new file with one high-severity finding on line 4. */
export const TASKS = [
  'import subprocess',
  '',
  'def archive(name):',
  '    subprocess.run(f"tar czf {name}.tgz data/", shell=True)',
  '',
].join('\n');

/** A scan of pull request #2 at HEAD_SHA, as the queue hands it to the pipeline. */
export function scanRequest(overrides: Partial<ScanRequest> = {}): ScanRequest {
  return {
    deliveryId: 'delivery-scan',
    installationId: 1,
    repo: { owner: OWNER, repo: REPO },
    pullNumber: PR,
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    draft: false,
    trigger: 'opened',
    fork: false,
    changedFiles: 1,
    ...overrides,
  };
}

/** No real network in app tests; interceptors do not leak from one test into the next. */
export function useNock(): void {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}

/** The rules the app tests scan with: stable, and independent of what the registry gains. */
export const TEST_RULES = [subprocessShellTrue, evalOfVariable] as readonly AnyRule[];

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

/**
 * JSON as GitHub sends and receives it: the example webhook payloads tests edit before delivering
 * them, and the request bodies the mock records for tests to assert on. Tests reach into it at any
 * depth, and typing each shape would restate GitHub's API here, so this one alias stays open.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one untyped JSON alias, explained above
export type Json = any;

/** A JSON object: a webhook payload, or a request body. */
export type JsonObject = Record<string, Json>;

/** The body of a comment edit (`PATCH …/comments/{id}`). */
export interface CommentEdit {
  body: string;
}

/** The body of a GraphQL request. */
export interface GraphqlBody {
  query: string;
  variables?: Record<string, unknown>;
}

const require = createRequire(import.meta.url);
const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as {
  name: string;
  examples: JsonObject[];
}[];

export interface PayloadOptions {
  action?: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review';
  headSha?: string;
  draft?: boolean;
  fork?: boolean;
  changedFiles?: number;
}

/** A `pull_request` payload from GitHub's own examples, adjusted for one test. */
export function pullRequestPayload(options: PayloadOptions = {}): JsonObject {
  const action = options.action ?? 'opened';
  const definition = examples.find((entry) => entry.name === 'pull_request')!;
  const example =
    definition.examples.find((payload) => payload.action === action && payload.installation) ??
    definition.examples.find((payload) => payload.action === 'opened' && payload.installation)!;
  const payload = structuredClone(example);
  payload.action = action;
  payload.pull_request.head.sha = options.headSha ?? HEAD_SHA;
  payload.pull_request.base.sha = BASE_SHA;
  payload.pull_request.draft = options.draft ?? false;
  payload.pull_request.changed_files = options.changedFiles ?? 1;
  if (options.fork) {
    payload.pull_request.head.repo = {
      ...payload.pull_request.head.repo,
      full_name: `mallory/${REPO}`,
      owner: { ...payload.pull_request.head.repo.owner, login: 'mallory' },
    };
    payload.pull_request.head.label = `mallory:feature`;
  }
  return payload;
}

export interface TestApp {
  probot: Probot;
  logs: JsonObject[];
  /** Delivers a `pull_request` event and waits for the scans it started. */
  receive(payload: JsonObject, id?: string): Promise<void>;
  /** Delivers any event and waits for the scans it started. */
  deliver(name: string, payload: JsonObject, id?: string): Promise<void>;
  /** Every job the handlers put on the queue, in order. */
  enqueued: ScanJob[];
}

/** The app id Probot signs as, which our check runs carry in `app.id`. */
export const APP_ID = 1;

/** Who the test app is on GitHub: its comments are written by `warden[bot]`. */
export const IDENTITY = { appId: APP_ID, slug: 'warden' };
export const BOT = { login: 'warden[bot]', type: 'Bot' } as const;

/** The key of the state in the test app's comments. */
export const MARKER_KEY = new MarkerKey('test-webhook-secret-0123456789');

/** What a scan needs to recognise the app's own comments (spread into `runScan`'s deps). */
export const OWN = { identity: IDENTITY, markerKey: MARKER_KEY };

export function createTestApp(rules: readonly AnyRule[] = TEST_RULES, rescanCooldownMs = 30_000): TestApp {
  const logs: JsonObject[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const probot = new Probot({
    appId: APP_ID,
    privateKey,
    // The object form `defaults({ throttle: { enabled: false } })` loses to the throttle options
    // Probot adds on top (a shallow merge), so every mutation would wait a second; the function
    // form has the last word.
    Octokit: ProbotOctokit.defaults((options: { throttle?: Record<string, unknown> }) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...options.throttle, enabled: false },
    })),
    log: pino({ level: 'info' }, sink),
  });
  const queue = new InProcessScanQueue<ScanJob>({ concurrency: 1, perInstallation: 1 });
  const enqueued: ScanJob[] = [];
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = (job) => (enqueued.push(job), enqueue(job));
  queue.process(
    createScanProcessor({
      auth: (installationId) => probot.auth(installationId),
      logger: probot.log,
      rules,
      identity: () => Promise.resolve(IDENTITY),
      markerKey: MARKER_KEY,
    }),
  );
  void probot.load(
    createWardenApp({
      queue,
      appId: APP_ID,
      rescanCooldownMs,
      identity: () => Promise.resolve(IDENTITY),
      markerKey: MARKER_KEY,
    }),
  );
  // The webhook handler only enqueues; a test waits for the scan it started to finish.
  const deliver = async (name: string, payload: JsonObject, id = 'delivery-1') => {
    await probot.receive({ name, id, payload } as Parameters<Probot['receive']>[0]);
    await queue.idle();
  };
  return { probot, logs, deliver, enqueued, receive: (payload, id) => deliver('pull_request', payload, id) };
}

function example(name: string, action: string): JsonObject {
  const definition = examples.find((entry) => entry.name === name)!;
  return structuredClone(definition.examples.find((payload) => payload.action === action && payload.installation)!);
}

/** Who wrote a comment: a login, and `Bot` for apps. */
export interface Author {
  login: string;
  type?: 'User' | 'Bot';
}

/** The example payloads name other repositories and installations: point them at ours. */
function ours(payload: JsonObject, sender?: Author): JsonObject {
  const { repository } = pullRequestPayload();
  payload.repository = repository;
  payload.installation = { ...payload.installation, id: 1 };
  if (sender) payload.sender = { ...payload.sender, login: sender.login, type: sender.type ?? 'User' };
  return payload;
}

/** An `issue_comment.created` payload: a comment in the conversation of pull request #2 (or of a plain issue). */
export function issueCommentPayload(
  body: string,
  author: Author,
  options: { onPullRequest?: boolean; commentId?: number } = {},
): JsonObject {
  const payload = ours(example('issue_comment', 'created'), author);
  payload.issue.number = PR;
  if (options.onPullRequest === false) delete payload.issue.pull_request;
  else
    payload.issue.pull_request = {
      url: `${API}${REPO_PATH}/pulls/${PR}`,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR}`,
    };
  payload.comment = {
    ...payload.comment,
    id: options.commentId ?? 9001,
    body,
    user: { ...payload.comment.user, login: author.login, type: author.type ?? 'User' },
  };
  return payload;
}

/** A `pull_request_review_comment.created` payload: a reply to review comment `inReplyTo` on pull request #2. */
export function reviewReplyPayload(body: string, author: Author, inReplyTo: number, commentId = 9101): JsonObject {
  const payload = ours(example('pull_request_review_comment', 'created'), author);
  payload.pull_request.number = PR;
  payload.comment = {
    ...payload.comment,
    id: commentId,
    body,
    in_reply_to_id: inReplyTo,
    user: { ...payload.comment.user, login: author.login, type: author.type ?? 'User' },
  };
  return payload;
}

/** A `check_run` payload (`rerequested` or `requested_action`) for our Warden run on pull request #2. */
export function checkRunPayload(
  action: 'rerequested' | 'requested_action',
  options: { appId?: number; identifier?: string } = {},
): JsonObject {
  const payload = ours(example('check_run', action), { login: 'octocat' });
  // A fork's run lists no pull requests: the external id is what names the pull request.
  payload.check_run = {
    ...payload.check_run,
    id: CHECK_RUN_ID,
    name: 'Warden',
    external_id: String(PR),
    head_sha: HEAD_SHA,
    pull_requests: [],
    app: { ...payload.check_run.app, id: options.appId ?? APP_ID },
  };
  if (action === 'requested_action') payload.requested_action = { identifier: options.identifier ?? 'rescan' };
  return payload;
}

/** A `check_suite.rerequested` payload for the suite holding our run, listing `pullNumbers`. */
export function checkSuitePayload(pullNumbers: number[], options: { appId?: number } = {}): JsonObject {
  const payload = ours(example('check_suite', 'rerequested'), { login: 'octocat' });
  payload.check_suite = {
    ...payload.check_suite,
    id: 77,
    head_sha: HEAD_SHA,
    pull_requests: pullNumbers.map((number) => ({ number, head: { sha: HEAD_SHA }, base: { sha: BASE_SHA } })),
    app: { ...payload.check_suite.app, id: options.appId ?? APP_ID },
  };
  return payload;
}

/** The commit a merge queue built for a group: the queued pull request merged onto the base branch. */
export const MERGE_GROUP_SHA = '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d';
export const MERGE_GROUP_REF = `refs/heads/gh-readonly-queue/main/pr-${PR}-${HEAD_SHA}`;

/** A `merge_group.checks_requested` payload for a group on top of BASE_SHA. */
export function mergeGroupPayload(): JsonObject {
  const payload = ours(example('merge_group', 'checks_requested'), { login: 'octocat' });
  payload.merge_group = {
    ...payload.merge_group,
    head_sha: MERGE_GROUP_SHA,
    head_ref: MERGE_GROUP_REF,
    base_sha: BASE_SHA,
    base_ref: 'refs/heads/main',
  };
  return payload;
}

/** A `push` payload to `ref` whose one commit changed `modified`. */
export function pushPayload(ref: string, modified: string[], options: { forced?: boolean } = {}): JsonObject {
  const definition = examples.find((entry) => entry.name === 'push')!;
  const payload = ours(structuredClone(definition.examples.find((example) => example.commits?.length > 0)!));
  payload.ref = ref;
  payload.deleted = false;
  payload.forced = options.forced ?? false;
  payload.repository.default_branch = 'main';
  payload.commits = [{ ...payload.commits[0], added: [], removed: [], modified }];
  return payload;
}

/** A file as GitHub's PR files API lists it. */
export interface ListedFile {
  filename: string;
  status?: string;
  patch?: string;
  previous_filename?: string;
  changes?: number;
}

function changedLineCount(patch: string | undefined): number {
  return patch === undefined ? 1 : patch.split('\n').filter((line) => /^[+-]/.test(line)).length;
}

/** GitHub's per-file `patch` between two versions: the hunks, without the file header lines. */
export function githubPatch(base: string, head: string): string {
  const patch = createTwoFilesPatch('a', 'b', base, head, undefined, undefined, { context: 3 });
  return patch.slice(patch.indexOf('@@')).replace(/\n$/, '');
}

/** A patch that adds a whole new file. */
export function addedFilePatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}`).join('\n')}`;
}

export function blob(text: string) {
  return { text, isBinary: false, byteSize: Buffer.byteLength(text), isTruncated: false };
}

/**
 * One nock interceptor per GitHub call, each recording the body it received so tests can assert
 * on it; `calls` counts every request that reached GitHub's API.
 */
export class GitHubMock {
  readonly scope = nock(API);
  readonly bodies: Record<string, Json[]> = {};
  calls = 0;

  constructor() {
    this.scope.on('request', () => this.calls++);
  }

  private record(name: string) {
    return (body: Json) => {
      (this.bodies[name] ??= []).push(body);
      return true;
    };
  }

  token(): this {
    this.scope.post('/app/installations/1/access_tokens').reply(201, {
      token: 'ghs_test',
      expires_at: '2099-01-01T00:00:00Z',
      permissions: { checks: 'write', pull_requests: 'write', contents: 'read' },
    });
    return this;
  }

  createCheckRun(): this {
    this.scope.post(`${REPO_PATH}/check-runs`, this.record('createCheckRun')).reply(201, { id: CHECK_RUN_ID });
    return this;
  }

  /** `.github/warden.yml` in the repository; without text, it is missing there and in the org's `.github`. */
  config(text?: string): this {
    const path = `${REPO_PATH}/contents/.github%2Fwarden.yml`;
    if (text === undefined) {
      this.scope.get(path).reply(404, { message: 'Not Found' });
      this.scope.get(`/repos/${OWNER}/.github/contents/.github%2Fwarden.yml`).reply(404, { message: 'Not Found' });
    } else this.scope.get(path).reply(200, text, { 'content-type': 'text/plain; charset=utf-8' });
    return this;
  }

  files(files: ListedFile[]): this {
    const pages = Math.max(1, Math.ceil(files.length / 100));
    for (let page = 1; page <= pages; page++) {
      const slice = files
        .slice((page - 1) * 100, page * 100)
        .map((file) => ({ status: 'added', changes: changedLineCount(file.patch), ...file }));
      const query = page === 1 ? { per_page: '100' } : { per_page: '100', page: String(page) };
      const link =
        page < pages
          ? { link: `<${API}${REPO_PATH}/pulls/${PR}/files?per_page=100&page=${page + 1}>; rel="next"` }
          : undefined;
      this.scope.get(`${REPO_PATH}/pulls/${PR}/files`).query(query).reply(200, slice, link);
    }
    return this;
  }

  /** The newest open pull requests (one GraphQL page), as a config change lists them. */
  openPullRequests(pulls: { number: number; headSha: string; isDraft?: boolean }[], hasNextPage = false): this {
    const record = this.record('openPullRequests');
    this.scope
      .post('/graphql', (body: JsonObject) => String(body.query).includes('pullRequests(states: OPEN') && record(body))
      .reply(200, {
        data: {
          repository: {
            pullRequests: {
              nodes: pulls.map((pull) => ({
                number: pull.number,
                isDraft: pull.isDraft ?? false,
                headRefOid: pull.headSha,
                baseRefOid: BASE_SHA,
                changedFiles: 1,
                isCrossRepository: false,
              })),
              pageInfo: { hasNextPage, endCursor: hasNextPage ? 'Y3Vyc29yOjE=' : null },
            },
          },
        },
      });
    return this;
  }

  /** The files GitHub's compare API lists between BASE_SHA and `headSha` (a merge group's changes). */
  comparedFiles(headSha: string, files: ListedFile[]): this {
    this.scope.get(`${REPO_PATH}/compare/${BASE_SHA}...${headSha}`).reply(200, {
      merge_base_commit: { sha: BASE_SHA },
      files: files.map((file) => ({ status: 'added', changes: changedLineCount(file.patch), ...file })),
    });
    return this;
  }

  /** GitHub's comparison of base and head: their merge base, or a 404 for histories that share none. */
  mergeBase(sha: string | undefined): this {
    const reply = this.scope.get(`${REPO_PATH}/compare/${BASE_SHA}...${HEAD_SHA}`).query({ per_page: '1' });
    if (sha === undefined) reply.reply(404, { message: 'No common ancestor' });
    else reply.reply(200, { merge_base_commit: { sha } });
    return this;
  }

  /** One GraphQL contents query answering each expression from `contents` (`null` when absent). */
  contents(contents: Record<string, ReturnType<typeof blob> | null>): this {
    this.scope.post('/graphql', this.record('graphql')).reply(200, (_uri, body: Json) => {
      const repository: Record<string, unknown> = {};
      for (const [name, expression] of Object.entries(body.variables as Record<string, string>)) {
        if (/^e\d+$/.test(name)) repository[name.replace('e', 'f')] = contents[expression] ?? null;
      }
      return { data: { repository } };
    });
    return this;
  }

  /**
   * One GraphQL advisory query (`securityVulnerabilities`, one alias per package), answered from
   * `nodes` by package name; packages missing from it have no advisories.
   */
  advisories(nodes: Record<string, unknown[]>): this {
    const record = this.record('advisories');
    this.scope
      .post(
        '/graphql',
        (body: Json) =>
          typeof body.query === 'string' && body.query.includes('securityVulnerabilities') && record(body),
      )
      .reply(200, (_uri, body: Json) => {
        const data: Record<string, unknown> = {};
        for (const [, alias, name] of (body.query as string).matchAll(
          /(p\d+): securityVulnerabilities\(ecosystem: PIP, package: "([^"]+)"/g,
        )) {
          data[alias] = { nodes: nodes[name] ?? [], pageInfo: { hasNextPage: false, endCursor: null } };
        }
        return { data };
      });
    return this;
  }

  /** The calls of a scan of one added file, up to and including the contents query. */
  scanningOneFile(path: string, text: string, configText?: string): this {
    return this.token()
      .createCheckRun()
      .config(configText)
      .files([{ filename: path, patch: addedFilePatch(text) }])
      .contents({ [`${HEAD_SHA}:${path}`]: blob(text) });
  }

  reviewComments(comments: Record<string, unknown>[] = []): this {
    this.scope.get(`${REPO_PATH}/pulls/${PR}/comments`).query({ per_page: '100' }).reply(200, comments);
    return this;
  }

  /** Earlier reviews on the pull request (read on re-pushes only). */
  earlierReviews(reviews: Record<string, unknown>[] = []): this {
    this.scope.get(`${REPO_PATH}/pulls/${PR}/reviews`).query({ per_page: '100' }).reply(200, reviews);
    return this;
  }

  head(sha = HEAD_SHA): this {
    this.scope.get(`${REPO_PATH}/pulls/${PR}`).reply(200, { number: PR, head: { sha } });
    return this;
  }

  review(status = 200): this {
    this.scope
      .post(`${REPO_PATH}/pulls/${PR}/reviews`, this.record('review'))
      .reply(
        status,
        status === 200
          ? { id: 1, state: 'COMMENTED' }
          : { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] },
      );
    return this;
  }

  /** The calls that publish a first scan with new findings: comments, head, review, completion. */
  publishingWithReview(): this {
    return this.reviewComments().head().review().completeCheckRun();
  }

  /** The calls that publish a scan with nothing to review. */
  publishingWithoutReview(): this {
    return this.reviewComments().head().completeCheckRun();
  }

  /** The repository permission GitHub reports for `login` (404 when not a collaborator). */
  permission(login: string, permission: 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none' | 404): this {
    const path = `${REPO_PATH}/collaborators/${login}/permission`;
    if (permission === 404) this.scope.get(path).reply(404, { message: 'Not Found' });
    else {
      // As GitHub answers: the legacy field folds maintain into write and triage into read.
      const legacy = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission;
      this.scope.get(path).reply(200, { permission: legacy, role_name: permission, user: { login } });
    }
    return this;
  }

  /** A reaction on a conversation (`issue`) or review-thread (`review`) comment. */
  reaction(kind: 'issue' | 'review', commentId: number, content: 'eyes' | 'rocket' | '+1'): this {
    const path = `${REPO_PATH}/${kind === 'issue' ? 'issues' : 'pulls'}/comments/${commentId}/reactions`;
    this.scope
      .post(
        path,
        (body) => body.content === content && (this.record('reaction')(`${kind}:${commentId}:${content}`), true),
      )
      .reply(201, { id: 1, content });
    return this;
  }

  /** The comments in the pull request's conversation. */
  conversation(comments: Record<string, unknown>[] = []): this {
    this.scope.get(`${REPO_PATH}/issues/${PR}/comments`).query({ per_page: '100' }).reply(200, comments);
    return this;
  }

  reply(): this {
    this.scope.post(`${REPO_PATH}/issues/${PR}/comments`, this.record('reply')).reply(201, { id: 9500 });
    return this;
  }

  /** The full pull request, as a rescan reads it. */
  pullRequest(): this {
    const { pull_request } = pullRequestPayload({ action: 'synchronize' });
    this.scope.get(`${REPO_PATH}/pulls/${PR}`).reply(200, { ...pull_request, state: 'open' });
    return this;
  }

  /** The Warden runs on the head commit, newest first (for the rescan cooldown). */
  runsOnHead(startedAt: string[] = []): this {
    this.scope
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: 'Warden', filter: 'latest', per_page: '100' })
      .reply(200, {
        total_count: startedAt.length,
        check_runs: startedAt.map((started, i) => ({ id: 100 + i, name: 'Warden', started_at: started })),
      });
    return this;
  }

  /** What an accepted `/warden rescan` reads before it queues the scan. */
  rescanAccepted(): this {
    return this.pullRequest().runsOnHead([new Date(Date.now() - 3_600_000).toISOString()]);
  }

  /** One page of the pull request's review threads, each known by the id of its first comment. */
  reviewThreads(threads: { id: string; firstCommentId: number; isResolved?: boolean }[]): this {
    const record = this.record('reviewThreads');
    this.scope
      .post('/graphql', (body: JsonObject) => String(body.query).includes('reviewThreads') && record(body))
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                nodes: threads.map((thread) => ({
                  id: thread.id,
                  isResolved: thread.isResolved ?? false,
                  comments: { nodes: [{ databaseId: thread.firstCommentId }] },
                })),
                pageInfo: { hasNextPage: false, endCursor: null },
              },
            },
          },
        },
      });
    return this;
  }

  /**
   * One `resolveReviewThread` (or `unresolveReviewThread`) mutation, recorded under its name;
   * `forbidden` answers as GitHub does an installation without `contents: write`.
   */
  threadResolution(mutation: 'resolveReviewThread' | 'unresolveReviewThread', answer: 'ok' | 'forbidden' = 'ok'): this {
    const record = this.record(mutation);
    this.scope
      .post('/graphql', (body: JsonObject) => new RegExp(`\\b${mutation}\\(`).test(String(body.query)) && record(body))
      .reply(
        200,
        answer === 'ok'
          ? { data: { [mutation]: { thread: { id: 'PRRT_x', isResolved: mutation === 'resolveReviewThread' } } } }
          : {
              data: { [mutation]: null },
              errors: [{ type: 'FORBIDDEN', path: [mutation], message: 'Resource not accessible by integration' }],
            },
      );
    return this;
  }

  completeCheckRun(): this {
    this.scope
      .patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, this.record('updateCheckRun'))
      .reply(200, { id: CHECK_RUN_ID });
    return this;
  }
}

/** The fingerprint Warden gives the first finding of the test rules in `text` at `path`. */
export function fingerprintIn(path: string, text: string): string {
  const [finding] = scanSource(path, text, { rules: TEST_RULES }).findings;
  if (!finding) throw new Error(`no finding in ${path}`);
  return finding.fingerprint;
}
