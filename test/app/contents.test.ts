import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  addedFilePatch,
  BASE_SHA,
  blob,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  OWNER,
  pullRequestPayload,
  REPO,
  TASKS,
  useNock,
} from './harness.js';

const MERGE_BASE = 'c'.repeat(40);
useNock();

describe('reading the changed files', () => {
  test('diffs a file locally against the merge base when GitHub gives no patch', async () => {
    const base = ['import subprocess', 'subprocess.run(old, shell=True)', ''].join('\n');
    const head = [
      'import subprocess',
      'subprocess.run(old, shell=True)',
      '',
      'subprocess.run(new, shell=True)',
      '',
    ].join('\n');
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'jobs.py', status: 'renamed', previous_filename: 'old_jobs.py' }])
      .mergeBase(MERGE_BASE)
      .contents({ [`${HEAD_SHA}:jobs.py`]: blob(head), [`${MERGE_BASE}:old_jobs.py`]: blob(base) })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    expect(Object.values(github.bodies.graphql[0].variables)).toEqual(
      expect.arrayContaining([`${HEAD_SHA}:jobs.py`, `${MERGE_BASE}:old_jobs.py`]),
    );
    // Only the added call is new; the base already had the one on line 2.
    const annotations = github.bodies.updateCheckRun[0].output.annotations;
    expect(annotations.map((annotation: { start_line: number }) => annotation.start_line)).toEqual([4]);
    expect(github.bodies.review[0].comments[0]).toMatchObject({ path: 'jobs.py', line: 4 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('diffs against the base tip when the histories share no merge base', async () => {
    const head = ['import subprocess', 'subprocess.run(new, shell=True)', ''].join('\n');
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'jobs.py', status: 'modified' }])
      .mergeBase(undefined)
      .contents({ [`${HEAD_SHA}:jobs.py`]: blob(head), [`${BASE_SHA}:jobs.py`]: blob('import subprocess\n') })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    expect(Object.values(github.bodies.graphql[0].variables)).toContain(`${BASE_SHA}:jobs.py`);
    expect(github.bodies.review[0].comments[0]).toMatchObject({ path: 'jobs.py', line: 2 });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('falls back to touched lines when the base version cannot be scanned, and says so', async () => {
    const head = ['import subprocess', 'subprocess.run(new, shell=True)', ''].join('\n');
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'jobs.py', status: 'modified' }])
      .mergeBase(MERGE_BASE)
      .contents({
        [`${HEAD_SHA}:jobs.py`]: blob(head),
        [`${MERGE_BASE}:jobs.py`]: { text: null, isBinary: true, byteSize: 10, isTruncated: false },
      } as never)
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const { summary, annotations } = github.bodies.updateCheckRun[0].output;
    expect(annotations).toHaveLength(1);
    expect(summary).toContain(
      '- Base not scanned, so only findings on touched lines count (1): `jobs.py` (its base version is binary)',
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('reads no old version for a pure rename, which touches no line', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'app/tasks.py', status: 'renamed', previous_filename: 'tasks.py', changes: 0 }])
      .contents({ [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    expect(Object.keys(github.bodies.graphql[0].variables)).toEqual(['owner', 'name', 'e0']);
    expect(github.bodies.updateCheckRun[0]).toMatchObject({
      conclusion: 'success',
      output: { title: 'No findings in 1 Python file', annotations: [] },
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('splits a contents query that GitHub gave up on (502) and asks for each half again', async () => {
    const files = Array.from({ length: 20 }, (_, i) => ({
      filename: `m${i}.py`,
      patch: addedFilePatch(i === 7 ? TASKS : 'x = 1\n'),
    }));
    const contents = Object.fromEntries(
      files.map((file, i) => [`${HEAD_SHA}:${file.filename}`, blob(i === 7 ? TASKS : 'x = 1\n')]),
    );
    const github = new GitHubMock().token().createCheckRun().config().files(files);
    github.scope.post('/graphql').reply(502, { message: "We couldn't respond to your request in time." });
    github.contents(contents).contents(contents).publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 20 }));

    expect(github.bodies.graphql.map((body) => Object.keys(body.variables).length - 2)).toEqual([10, 10]);
    expect(github.bodies.updateCheckRun[0].output.annotations).toEqual([
      expect.objectContaining({ path: 'm7.py', start_line: 4 }),
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('fetches a file GraphQL truncated through the REST raw media type', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'big.py', patch: addedFilePatch(TASKS) }])
      .contents({
        [`${HEAD_SHA}:big.py`]: { text: TASKS.slice(0, 20), isBinary: false, byteSize: 600_000, isTruncated: true },
      });
    github.scope
      .get(`/repos/${OWNER}/${REPO}/contents/big.py`)
      .query({ ref: HEAD_SHA })
      .matchHeader('accept', 'application/vnd.github.v3.raw')
      .reply(200, TASKS, { 'content-type': 'text/plain; charset=utf-8' });
    github.publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.updateCheckRun[0].output.annotations).toEqual([
      expect.objectContaining({ path: 'big.py', start_line: 4 }),
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test("reads a fork's head commit through the base repository", async () => {
    const github = new GitHubMock().scanningOneFile('app/tasks.py', TASKS).publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ fork: true }));

    expect(github.bodies.graphql[0].variables).toMatchObject({
      owner: OWNER,
      name: REPO,
      e0: `${HEAD_SHA}:app/tasks.py`,
    });
    expect(github.bodies.createCheckRun[0]).toMatchObject({ head_sha: HEAD_SHA, external_id: '2' });
    expect(github.bodies.review[0].comments).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('records binary and excluded files as skipped, an oversized one as not fully scanned, and a removed file as deleted', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('paths:\n  exclude: ["vendor/**"]\nmax_file_size: 1000\n')
      .files([
        { filename: 'blob.py' },
        { filename: 'huge.py', patch: '@@ -0,0 +1 @@\n+x = 1' },
        { filename: 'gone.py', status: 'removed', patch: '@@ -1 +0,0 @@\n-x = 1' },
        { filename: 'vendor/lib.py', patch: '@@ -0,0 +1 @@\n+x = 1' },
        { filename: 'docs/index.md', patch: '@@ -0,0 +1 @@\n+# Docs' },
      ])
      .contents({
        [`${HEAD_SHA}:blob.py`]: { text: null, isBinary: true, byteSize: 10, isTruncated: false },
        [`${HEAD_SHA}:huge.py`]: { text: null, isBinary: false, byteSize: 5000, isTruncated: false },
      } as never)
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    // A file padded past max_file_size must not pass unseen.
    expect(completion).toMatchObject({ conclusion: 'neutral' });
    expect(completion.output.title).toBe(
      'No findings in 0 Python files; 1 file was not fully scanned, so the result is incomplete',
    );
    expect(completion.output.summary).toContain('- Deleted, so its findings are fixed (1): `gone.py`');
    expect(completion.output.summary).toContain('- `vendor/lib.py`: excluded by `paths.exclude`');
    expect(completion.output.summary).toContain('- `blob.py`: binary file');
    expect(completion.output.summary).toContain('### Not fully scanned');
    expect(completion.output.summary).toContain(
      '- `huge.py`: larger than `max_file_size` (5000 bytes); nothing was scanned',
    );
    expect(completion.output.summary).toContain('- 1 changed file that is not Python');
    expect(nock.pendingMocks()).toEqual([]);
  });
  test('never passes a file whose patch cannot be read: it is not fully scanned', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'app/tasks.py', patch: '@@ -0,0 +1,2 @@\n+import os' }])
      .contents({ [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({ conclusion: 'neutral' });
    expect(completion.output.summary).toMatch(
      /- `app\/tasks\.py`: its patch could not be parsed \(cannot parse the diff: .*\); nothing was scanned/,
    );
    expect(nock.pendingMocks()).toEqual([]);
  });
});
