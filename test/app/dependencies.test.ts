import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { contentOf, readState } from '../../src/report/markers.js';
import {
  addedFilePatch,
  blob,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  MARKER_KEY,
  OWNER,
  pullRequestPayload,
  REPO,
  TASKS,
  useNock,
  type CommentEdit,
} from './harness.js';
import { ADVISORY_LOOKUPS_PER_SCAN } from '../../src/scan/dependencies.js';

useNock();

/** One `securityVulnerabilities` node, as GitHub's GraphQL API returns it. */
function vulnerability(ghsaId: string, range: string, patched: string, severity = 'HIGH') {
  return {
    advisory: {
      ghsaId,
      summary: `Advisory ${ghsaId}`,
      severity,
      permalink: `https://github.com/advisories/${ghsaId}`,
      identifiers: [
        { type: 'GHSA', value: ghsaId },
        { type: 'CVE', value: `CVE-2024-${ghsaId.slice(-4)}` },
      ],
      withdrawnAt: null,
    },
    vulnerableVersionRange: range,
    firstPatchedVersion: { identifier: patched },
  };
}

/** The packages an advisory query asked about, in order. */
function askedPackages(body: { query: string }): string[] {
  return [...body.query.matchAll(/securityVulnerabilities\(ecosystem: PIP, package: "([^"]+)"/g)].map(
    (match) => match[1],
  );
}

/** A requirements file whose second line the pull request adds. */
function requirements(added: string): { text: string; patch: string } {
  return {
    text: ['flask==3.0.3', added, 'gunicorn==22.0.0', ''].join('\n'),
    patch: `@@ -1,2 +1,3 @@\n flask==3.0.3\n+${added}\n gunicorn==22.0.0`,
  };
}

const DJANGO = [
  vulnerability('GHSA-dj00-0000-0001', '>= 3.2, < 3.2.19', '3.2.19'),
  vulnerability('GHSA-dj00-0000-0002', '< 3.2.25', '3.2.25', 'MODERATE'),
];

/** The calls of a first scan of a PR that changes `requirements.txt` (and adds `app/tasks.py` if asked), up to the contents query. */
function scanningManifest(
  manifest: { text: string; patch: string },
  options: { withTasks?: boolean; configText?: string } = {},
): GitHubMock {
  const tasks = options.withTasks ? [{ filename: 'app/tasks.py', patch: addedFilePatch(TASKS) }] : [];
  const tasksContent: Record<string, ReturnType<typeof blob>> = options.withTasks
    ? { [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) }
    : {};
  return new GitHubMock()
    .token()
    .createCheckRun()
    .config(options.configText)
    .files([...tasks, { filename: 'requirements.txt', status: 'modified', patch: manifest.patch }])
    .contents({ ...tasksContent, [`${HEAD_SHA}:requirements.txt`]: blob(manifest.text) });
}

describe('dependency checks in the pull request scan', () => {
  test('a vulnerable pin gets an annotation and an inline suggestion to the patched version, beside the code findings', async () => {
    const manifest = requirements('django==3.2.1  # web framework');
    const github = scanningManifest(manifest, { withTasks: true })
      .advisories({ django: DJANGO })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 2 }));

    // The manifest is read in the same contents query as the Python file.
    expect(github.bodies.graphql).toHaveLength(1);
    expect(Object.values(github.bodies.graphql[0].variables)).toEqual(
      expect.arrayContaining([`${HEAD_SHA}:app/tasks.py`, `${HEAD_SHA}:requirements.txt`]),
    );
    // Only the touched entry is looked up: flask and gunicorn did not change.
    expect(askedPackages(github.bodies.advisories[0])).toEqual(['django']);

    const check = github.bodies.updateCheckRun[0];
    expect(check.conclusion).toBe('failure');
    const annotation = check.output.annotations.find((entry: { path: string }) => entry.path === 'requirements.txt');
    expect(annotation).toMatchObject({
      start_line: 2,
      end_line: 2,
      annotation_level: 'failure',
      title: 'Dependency with a known vulnerability (vulnerable-dependency)',
    });
    expect(annotation.message).toContain('GHSA-dj00-0000-0001 (CVE-2024-0001) and 1 more advisory');
    expect(check.output.annotations.map((entry: { path: string }) => entry.path).sort()).toEqual([
      'app/tasks.py',
      'requirements.txt',
    ]);
    expect(check.output.summary).toContain('`vulnerable-dependency`');

    const comments = github.bodies.review[0].comments;
    expect(comments.map((comment: { path: string }) => comment.path).sort()).toEqual([
      'app/tasks.py',
      'requirements.txt',
    ]);
    const comment = comments.find((entry: { path: string }) => entry.path === 'requirements.txt');
    expect(comment).toMatchObject({ line: 2, side: 'RIGHT' });
    expect(comment.start_line).toBeUndefined();
    expect(comment.body).toContain('```suggestion\ndjango==3.2.25  # web framework\n```');
    expect(comment.body).toContain('**Why it matters.**');
    expect(readState(comment.body, MARKER_KEY)?.rule).toBe('vulnerable-dependency');
    expect(contentOf(comment.body)).toMatchSnapshot('review comment on the vulnerable pin');
    expect(nock.pendingMocks()).toEqual([]);
    // token, check run, config (repo and org), files, contents, advisories, comments, head, review, completion.
    expect(github.calls).toBe(11);
  });

  test('a pin at the patched version is clean', async () => {
    const manifest = requirements('jinja2==3.1.6');
    const github = scanningManifest(manifest)
      .advisories({ jinja2: [vulnerability('GHSA-jj00-0000-0001', '< 3.1.5', '3.1.5')] })
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    expect(askedPackages(github.bodies.advisories[0])).toEqual(['jinja2']);
    const check = github.bodies.updateCheckRun[0];
    expect(check).toMatchObject({
      conclusion: 'success',
      output: { title: 'No findings in 0 Python files and 1 dependency manifest', annotations: [] },
    });
    expect(check.output.summary).not.toContain('not Python');
    expect(github.bodies.review).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a pull request without manifests makes no advisory call', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([
        { filename: 'app/tasks.py', patch: addedFilePatch(TASKS) },
        { filename: 'README.md', patch: '@@ -0,0 +1 @@\n+django==3.2.1' },
      ])
      .contents({ [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 2 }));

    expect(github.bodies.advisories).toBeUndefined();
    expect(github.bodies.graphql).toHaveLength(1);
    expect(Object.values(github.bodies.graphql[0].variables)).not.toContain(`${HEAD_SHA}:README.md`);
    expect(nock.pendingMocks()).toEqual([]);
    expect(github.calls).toBe(10);
  });

  test('a manifest under `paths.exclude` is neither read nor checked; a removed one neither', async () => {
    const manifest = requirements('django==3.2.1');
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('paths:\n  exclude: ["vendor/**"]\n')
      .files([
        { filename: 'vendor/lib/requirements.txt', status: 'modified', patch: manifest.patch },
        { filename: 'docs/requirements.txt', status: 'removed', patch: '@@ -1 +0,0 @@\n-django==3.2.1' },
      ])
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 2 }));

    expect(github.bodies.graphql).toBeUndefined();
    expect(github.bodies.advisories).toBeUndefined();
    expect(github.bodies.updateCheckRun[0]).toMatchObject({
      conclusion: 'success',
      output: { title: 'No findings in 0 Python files', annotations: [] },
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('`dependencies.enabled: false` neither reads nor checks the manifests', async () => {
    const manifest = requirements('django==3.2.1');
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('dependencies:\n  enabled: false\n')
      .files([{ filename: 'requirements.txt', status: 'modified', patch: manifest.patch }])
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.graphql).toBeUndefined();
    expect(github.bodies.advisories).toBeUndefined();
    const check = github.bodies.updateCheckRun[0];
    expect(check).toMatchObject({ conclusion: 'success', output: { annotations: [] } });
    expect(check.output.summary).toContain('1 changed file that is not Python');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a switched-off `vulnerable-dependency` rule makes no advisory call; `require_pins` still flags a range', async () => {
    const manifest = requirements('requests>=2.0');
    const github = scanningManifest(manifest, {
      configText: 'dependencies:\n  require_pins: true\nrules:\n  vulnerable-dependency: off\n',
    }).publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.advisories).toBeUndefined();
    const [annotation] = github.bodies.updateCheckRun[0].output.annotations;
    expect(annotation).toMatchObject({
      path: 'requirements.txt',
      start_line: 2,
      annotation_level: 'notice',
      title: 'Dependency not pinned to one version (unpinned-dependency)',
    });
    expect(github.bodies.review[0].comments).toEqual([expect.objectContaining({ path: 'requirements.txt', line: 2 })]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('an advisory lookup GitHub refuses leaves a note and still publishes the code findings', async () => {
    const manifest = requirements('urllib3==1.26.0');
    const github = scanningManifest(manifest, { withTasks: true }).publishingWithReview();
    github.scope
      .post('/graphql', (body) => String(body.query).includes('securityVulnerabilities'))
      .reply(502, { message: 'Bad Gateway' });

    await createTestApp().receive(pullRequestPayload({ changedFiles: 2 }));

    const check = github.bodies.updateCheckRun[0];
    expect(check.conclusion).toBe('failure');
    expect(check.output.annotations.map((entry: { path: string }) => entry.path)).toEqual(['app/tasks.py']);
    expect(check.output.summary).toContain(
      "known vulnerabilities were not checked: GitHub's advisory database could not be read",
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a re-push that bumps the pin marks the earlier comment fixed, with the advisories from the cache', async () => {
    const vulnerable = requirements('pyyaml==5.3');
    const first = scanningManifest(vulnerable)
      .advisories({ pyyaml: [vulnerability('GHSA-py00-0000-0001', '< 5.4', '5.4')] })
      .publishingWithReview();
    const app = createTestApp();
    await app.receive(pullRequestPayload());
    const posted = first.bodies.review[0].comments[0];
    expect(posted.body).toContain('```suggestion\npyyaml==5.4\n```');
    expect(nock.pendingMocks()).toEqual([]);

    const NEW_HEAD = '2f4c1e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e';
    const patched = requirements('pyyaml==5.4');
    // The installation token from the first scan is still valid.
    const second = new GitHubMock()
      .createCheckRun()
      .config()
      .files([{ filename: 'requirements.txt', status: 'modified', patch: patched.patch }])
      .contents({ [`${NEW_HEAD}:requirements.txt`]: blob(patched.text) })
      .reviewComments([
        {
          id: 21,
          node_id: 'PRRC_21',
          path: 'requirements.txt',
          user: { login: 'warden[bot]', type: 'Bot' },
          body: posted.body,
        },
      ])
      .head(NEW_HEAD)
      .completeCheckRun();
    const edits: CommentEdit[] = [];
    second.scope
      .patch(`/repos/${OWNER}/${REPO}/pulls/comments/21`, (body) => (edits.push(body), true))
      .reply(200, { id: 21 });
    second.scope
      .post('/graphql', (body) => String(body.query).includes('minimizeComment'))
      .reply(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
    second.reviewThreads([{ id: 'PRRT_21', firstCommentId: 21 }]).threadResolution('resolveReviewThread');

    await app.receive(pullRequestPayload({ action: 'synchronize', headSha: NEW_HEAD }), 'delivery-2');

    expect(second.bodies.advisories).toBeUndefined();
    expect(second.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'success' });
    expect(edits).toHaveLength(1);
    expect(edits[0].body).toContain(`✅ Fixed in ${NEW_HEAD.slice(0, 7)}`);
    expect(readState(edits[0].body, MARKER_KEY)).toMatchObject({ rule: 'vulnerable-dependency', fixed: true });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a manifest of thousands of packages costs a bounded number of advisory queries, and the summary says so', async () => {
    const names = Array.from({ length: 20_000 }, (_, index) => `made-up-package-${index}`);
    const text = `${names.map((name) => `${name}==1.0`).join('\n')}\n`;
    const manifest = {
      text,
      patch: `@@ -0,0 +1,${names.length} @@\n${names.map((name) => `+${name}==1.0`).join('\n')}`,
    };
    const github = scanningManifest(manifest);
    for (let query = 0; query < ADVISORY_LOOKUPS_PER_SCAN / 40; query++) github.advisories({});
    github.publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.advisories).toHaveLength(10);
    expect(github.bodies.advisories.flatMap(askedPackages)).toEqual(names.slice(0, ADVISORY_LOOKUPS_PER_SCAN));
    expect(github.bodies.updateCheckRun[0].output.summary).toContain(
      'known vulnerabilities were checked for 400 of the 20000 packages this change touches: a scan looks up at most 400, so 19600 were not checked',
    );
    expect(nock.pendingMocks()).toEqual([]);
  });
});
