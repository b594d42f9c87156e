import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { afterEach, beforeEach } from '@jest/globals';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createWardenApp } from '../../src/app/index.js';
import { InProcessScanQueue } from '../../src/queue/in-process.js';
import { createScanProcessor } from '../../src/scan/worker.js';
import subprocessShellTrue from '../../src/rules/injection/subprocess-shell-true.js';
import type { AnyRule } from '../../src/engine/rule.js';
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
export const TASKS = ['import subprocess', '', 'def archive(name):', '    subprocess.run(f"tar czf {name}.tgz data/", shell=True)', ''].join('\n');

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

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const require = createRequire(import.meta.url);
const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as { name: string; examples: Record<string, any>[] }[];

export interface PayloadOptions {
  action?: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review';
  headSha?: string;
  draft?: boolean;
  fork?: boolean;
  changedFiles?: number;
}

/** A `pull_request` payload from GitHub's own examples, adjusted for one test. */
export function pullRequestPayload(options: PayloadOptions = {}): Record<string, any> {
  const action = options.action ?? 'opened';
  const definition = examples.find((entry) => entry.name === 'pull_request')!;
  const example = definition.examples.find((payload) => payload.action === action && payload.installation) ?? definition.examples.find((payload) => payload.action === 'opened' && payload.installation)!;
  const payload = structuredClone(example);
  payload.action = action;
  payload.pull_request.head.sha = options.headSha ?? HEAD_SHA;
  payload.pull_request.base.sha = BASE_SHA;
  payload.pull_request.draft = options.draft ?? false;
  payload.pull_request.changed_files = options.changedFiles ?? 1;
  if (options.fork) {
    payload.pull_request.head.repo = { ...payload.pull_request.head.repo, full_name: `mallory/${REPO}`, owner: { ...payload.pull_request.head.repo.owner, login: 'mallory' } };
    payload.pull_request.head.label = `mallory:feature`;
  }
  return payload;
}

export interface TestApp {
  probot: Probot;
  logs: Record<string, any>[];
  receive(payload: Record<string, any>, id?: string): Promise<void>;
}

export function createTestApp(rules: readonly AnyRule[] = TEST_RULES): TestApp {
  const logs: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    // The object form `defaults({ throttle: { enabled: false } })` loses to the throttle options
    // Probot adds on top (a shallow merge), so every mutation would wait a second; the function
    // form has the last word.
    Octokit: ProbotOctokit.defaults((options: Record<string, any>) => ({ ...options, retry: { enabled: false }, throttle: { ...options.throttle, enabled: false } })),
    log: pino({ level: 'info' }, sink),
  });
  const queue = new InProcessScanQueue({ concurrency: 1, perInstallation: 1 });
  queue.process(createScanProcessor({ auth: (installationId) => probot.auth(installationId) as never, logger: probot.log, rules }));
  probot.load(createWardenApp({ queue }));
  return {
    probot,
    logs,
    // The webhook handler only enqueues; a test waits for the scan it started to finish.
    receive: async (payload, id = 'delivery-1') => {
      await probot.receive({ name: 'pull_request', id, payload } as any);
      await queue.idle();
    },
  };
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
  readonly bodies: Record<string, any[]> = {};
  calls = 0;

  constructor() {
    this.scope.on('request', () => this.calls++);
  }

  private record(name: string) {
    return (body: any) => {
      (this.bodies[name] ??= []).push(body);
      return true;
    };
  }

  token(): this {
    this.scope.post('/app/installations/1/access_tokens').reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write', pull_requests: 'write', contents: 'read' } });
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
      const slice = files.slice((page - 1) * 100, page * 100).map((file) => ({ status: 'added', changes: changedLineCount(file.patch), ...file }));
      const query = page === 1 ? { per_page: '100' } : { per_page: '100', page: String(page) };
      const link = page < pages ? { link: `<${API}${REPO_PATH}/pulls/${PR}/files?per_page=100&page=${page + 1}>; rel="next"` } : undefined;
      this.scope.get(`${REPO_PATH}/pulls/${PR}/files`).query(query).reply(200, slice, link);
    }
    return this;
  }

  /** One GraphQL contents query answering each expression from `contents` (`null` when absent). */
  contents(contents: Record<string, ReturnType<typeof blob> | null>): this {
    this.scope.post('/graphql', this.record('graphql')).reply(200, (_uri, body: any) => {
      const repository: Record<string, unknown> = {};
      for (const [name, expression] of Object.entries(body.variables as Record<string, string>)) {
        if (/^e\d+$/.test(name)) repository[name.replace('e', 'f')] = contents[expression] ?? null;
      }
      return { data: { repository } };
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
    this.scope.post(`${REPO_PATH}/pulls/${PR}/reviews`, this.record('review')).reply(status, status === 200 ? { id: 1, state: 'COMMENTED' } : { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] });
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

  completeCheckRun(): this {
    this.scope.patch(`${REPO_PATH}/check-runs/${CHECK_RUN_ID}`, this.record('updateCheckRun')).reply(200, { id: CHECK_RUN_ID });
    return this;
  }
}
