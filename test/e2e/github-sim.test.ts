import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { config as configPlugin } from '@probot/octokit-plugin-config';
import { generateAppCredentials } from '../../dev/app-process.js';
import { GitHubSimulator, type RepositoryState } from '../../dev/github-sim/index.js';

/**
 * The simulator refuses what GitHub refuses: these tests drive it with plain Octokit, as the
 * app does, so the e2e tests cannot pass against a GitHub that is more lenient than the real one.
 */

const credentials = generateAppCredentials(77);
let sim: GitHubSimulator;
let octokit: Octokit;

function appJwt(privateKey: string, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 30, exp: now + 540, iss: credentials.appId, ...claims })}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

function baseUrl(): string {
  return `http://${sim.host}/api/v3`;
}

/** Octokit logs every failed request; these tests provoke failures on purpose. */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function installationOctokit(installationId = 1): Promise<Octokit> {
  const app = new Octokit({ log: quiet, baseUrl: baseUrl(), auth: appJwt(credentials.privateKey) });
  const { data } = await app.rest.apps.createInstallationAccessToken({ installation_id: installationId });
  return new Octokit({ log: quiet, baseUrl: baseUrl(), auth: data.token });
}

async function statusOf(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await promise;
    return { status: 200, data: {} };
  } catch (error) {
    const failure = error as { status?: number; response?: { data?: Record<string, unknown> } };
    return { status: failure.status ?? 0, data: failure.response?.data ?? {} };
  }
}

/** A file of `count` numbered lines. */
function numberedLines(count: number, change?: { line: number; text: string }): string {
  return (
    Array.from({ length: count }, (_, index) =>
      change && change.line === index + 1 ? change.text : `line_${index + 1} = ${index + 1}`,
    ).join('\n') + '\n'
  );
}

let repoCounter = 0;
function newRepository(files: Record<string, string | Buffer> = { 'README.md': '# r\n' }): RepositoryState {
  repoCounter += 1;
  return sim.createRepository('octo-org', `sim-${repoCounter}`, files);
}

let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  sim = await GitHubSimulator.start({
    appId: credentials.appId,
    appKey: credentials.privateKey,
    webhookSecret: credentials.webhookSecret,
    log: () => undefined,
  });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sim.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  newRepository();
  octokit = await installationOctokit();
}, 60_000);

afterAll(async () => {
  await sim?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function openPull(repo: RepositoryState, files: Record<string, string | Buffer>) {
  return (await sim.openPullRequest(repo, { branch: 'topic', title: 'Topic', author: 'alice', files })).pull;
}

describe('authentication', () => {
  test('issues installation tokens only for a JWT signed with the app key and still valid', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    const forged = new Octokit({ log: quiet, baseUrl: baseUrl(), auth: appJwt(otherKey) });
    expect((await statusOf(forged.rest.apps.createInstallationAccessToken({ installation_id: 1 }))).status).toBe(401);
    const expired = new Octokit({
      log: quiet,
      baseUrl: baseUrl(),
      auth: appJwt(credentials.privateKey, { exp: Math.floor(Date.now() / 1000) - 10 }),
    });
    expect((await statusOf(expired.rest.apps.createInstallationAccessToken({ installation_id: 1 }))).status).toBe(401);
    const anonymous = new Octokit({ baseUrl: baseUrl() });
    expect(
      (await statusOf(anonymous.rest.pulls.get({ owner: 'octo-org', repo: 'sim-1', pull_number: 1 }))).status,
    ).toBe(401);
  });

  test('an installation sees only its own repositories', async () => {
    sim.createRepository('other-org', 'private', { 'a.py': 'x = 1\n' }, { installationId: 2 });
    expect((await statusOf(octokit.rest.repos.get({ owner: 'other-org', repo: 'private' }))).status).toBe(404);
    const other = await installationOctokit(2);
    expect((await other.rest.repos.get({ owner: 'other-org', repo: 'private' })).data.full_name).toBe(
      'other-org/private',
    );
  });
});

describe('request validation against the OpenAPI description', () => {
  test('an undocumented route is a 404 and is recorded as a refusal', async () => {
    const before = sim.rejections.length;
    expect(
      (
        await statusOf(
          octokit.request('GET /repos/{owner}/{repo}/no-such-endpoint', { owner: 'octo-org', repo: 'sim-1' }),
        )
      ).status,
    ).toBe(404);
    expect(sim.rejections.slice(before)).toEqual([
      expect.objectContaining({ path: '/repos/octo-org/sim-1/no-such-endpoint', status: 404 }),
    ]);
  });

  test('a missing required field, a wrong type and an unknown enum value are 422 with GitHub error shape', async () => {
    const repo = newRepository();
    const sha = repo.store.branch('main')!;
    const missing = await statusOf(
      octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner: 'octo-org',
        repo: repo.store.name,
        name: 'Warden',
      } as never),
    );
    expect(missing.status).toBe(422);
    expect(missing.data).toMatchObject({
      message: 'Invalid request.',
      documentation_url: expect.any(String),
      errors: [expect.objectContaining({ field: 'head_sha', code: 'missing_field' })],
    });
    const badEnum = await statusOf(
      octokit.rest.checks.create({
        owner: 'octo-org',
        repo: repo.store.name,
        name: 'Warden',
        head_sha: sha,
        status: 'done' as never,
      }),
    );
    expect(badEnum.status).toBe(422);
    const badType = await statusOf(
      octokit.rest.checks.create({ owner: 'octo-org', repo: repo.store.name, name: 42 as never, head_sha: sha }),
    );
    expect(badType.status).toBe(422);
    const noConclusion = await statusOf(
      octokit.rest.checks.create({
        owner: 'octo-org',
        repo: repo.store.name,
        name: 'Warden',
        head_sha: sha,
        status: 'completed',
      }),
    );
    expect(noConclusion.status).toBe(422);
  });
});

describe('check runs', () => {
  const annotation = (line: number, title = 'finding') => ({
    path: 'a.py',
    start_line: line,
    end_line: line,
    annotation_level: 'warning' as const,
    message: 'm',
    title,
  });

  test('take at most 50 annotations per request, append them across updates and list them', async () => {
    const repo = newRepository();
    const owner = 'octo-org';
    const head_sha = repo.store.branch('main')!;
    const created = await octokit.rest.checks.create({
      owner,
      repo: repo.store.name,
      name: 'Warden',
      head_sha,
      status: 'in_progress',
      output: { title: 't', summary: 's', annotations: Array.from({ length: 50 }, (_, i) => annotation(i + 1)) },
    });
    const check_run_id = created.data.id;
    const tooMany = await statusOf(
      octokit.rest.checks.update({
        owner,
        repo: repo.store.name,
        check_run_id,
        output: { title: 't', summary: 's', annotations: Array.from({ length: 51 }, (_, i) => annotation(i + 1)) },
      }),
    );
    expect(tooMany.status).toBe(422);
    await octokit.rest.checks.update({
      owner,
      repo: repo.store.name,
      check_run_id,
      conclusion: 'failure',
      output: { title: 't', summary: 's', annotations: Array.from({ length: 30 }, (_, i) => annotation(i + 1)) },
    });
    const listed = await octokit.paginate(octokit.rest.checks.listAnnotations, {
      owner,
      repo: repo.store.name,
      check_run_id,
      per_page: 50,
    });
    expect(listed).toHaveLength(80);
    expect(sim.checkRuns(repo)[0]).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      annotationRequests: [50, 30],
    });
  });

  test('refuse a summary over 65,535 characters and an annotation title over 255', async () => {
    const repo = newRepository();
    const head_sha = repo.store.branch('main')!;
    const base = { owner: 'octo-org', repo: repo.store.name, name: 'Warden', head_sha };
    expect(
      (await statusOf(octokit.rest.checks.create({ ...base, output: { title: 't', summary: 'x'.repeat(65_536) } })))
        .status,
    ).toBe(422);
    expect(
      (
        await statusOf(
          octokit.rest.checks.create({
            ...base,
            output: { title: 't', summary: 's', annotations: [annotation(1, 't'.repeat(256))] },
          }),
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await statusOf(
          octokit.rest.checks.create({
            ...base,
            output: { title: 't', summary: 'x'.repeat(65_535), annotations: [annotation(1, 't'.repeat(255))] },
          }),
        )
      ).status,
    ).toBe(200);
    expect(sim.checkRuns(repo)).toHaveLength(1);
  });
});

describe('pull requests', () => {
  test('list files 100 per page with Link headers, at most 3,000, with GitHub-style patches', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 3001; index += 1) files[`pkg/m${String(index).padStart(4, '0')}.py`] = 'x = 1\n';
    const repo = newRepository({ 'edit.py': numberedLines(20) });
    files['edit.py'] = numberedLines(20, { line: 10, text: 'line_10 = "changed"' });
    const pull = await openPull(repo, files);
    const first = await octokit.rest.pulls.listFiles({
      owner: 'octo-org',
      repo: repo.store.name,
      pull_number: pull.number,
      per_page: 100,
    });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toMatch(/[?&]page=2>; rel="next".*[?&]page=30>; rel="last"/);
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: 'octo-org',
      repo: repo.store.name,
      pull_number: pull.number,
      per_page: 100,
    });
    expect(all).toHaveLength(3000);
    const edited = all.find((file) => file.filename === 'edit.py')!;
    expect(edited).toMatchObject({ status: 'modified', additions: 1, deletions: 1 });
    expect(edited.patch).toBe(
      [
        '@@ -7,7 +7,7 @@',
        ' line_7 = 7',
        ' line_8 = 8',
        ' line_9 = 9',
        '-line_10 = 10',
        '+line_10 = "changed"',
        ' line_11 = 11',
        ' line_12 = 12',
        ' line_13 = 13',
      ].join('\n'),
    );
    expect(all.find((file) => file.filename === 'pkg/m0000.py')).toMatchObject({
      status: 'added',
      patch: '@@ -0,0 +1 @@\n+x = 1',
    });
  });

  test('a review with one comment outside the diff fails whole; anchors inside a hunk succeed', async () => {
    const repo = newRepository({ 'a.py': numberedLines(40) });
    const pull = await openPull(repo, { 'a.py': numberedLines(40, { line: 20, text: 'line_20 = "changed"' }) });
    const commit_id = sim.headCommit(repo, pull).sha;
    const review = (comments: { path: string; line: number; start_line?: number; body: string }[]) =>
      statusOf(
        octokit.rest.pulls.createReview({
          owner: 'octo-org',
          repo: repo.store.name,
          pull_number: pull.number,
          commit_id,
          event: 'COMMENT',
          body: 'Review',
          comments,
        }),
      );
    const outside = await review([
      { path: 'a.py', line: 20, body: 'inside' },
      { path: 'a.py', line: 2, body: 'outside' },
    ]);
    expect(outside).toMatchObject({ status: 422, data: { errors: ['Line could not be resolved'] } });
    expect((await review([{ path: 'b.py', line: 1, body: 'no such file' }])).status).toBe(422);
    expect((await review([{ path: 'a.py', line: 20, start_line: 5, body: 'start in no hunk' }])).status).toBe(422);
    expect(sim.reviews(repo, pull)).toEqual([]);
    expect(sim.reviewComments(repo, pull)).toEqual([]);
    expect(
      (
        await review([
          { path: 'a.py', line: 20, body: 'one line' },
          { path: 'a.py', start_line: 17, line: 23, body: 'a range' },
        ])
      ).status,
    ).toBe(200);
    expect(sim.reviewComments(repo, pull).map((comment) => [comment.startLine, comment.line])).toEqual([
      [null, 20],
      [17, 23],
    ]);
    const listed = await octokit.rest.pulls.listReviewComments({
      owner: 'octo-org',
      repo: repo.store.name,
      pull_number: pull.number,
    });
    expect(listed.data[0].diff_hunk).toBe(
      '@@ -17,7 +17,7 @@\n line_17 = 17\n line_18 = 18\n line_19 = 19\n-line_20 = 20\n+line_20 = "changed"',
    );
  });

  test('a comment moves with the lines inserted above it and becomes outdated when its line changes', async () => {
    const repo = newRepository({ 'a.py': numberedLines(10) });
    const pull = await openPull(repo, { 'a.py': numberedLines(10, { line: 5, text: 'line_5 = "changed"' }) });
    const params = { owner: 'octo-org', repo: repo.store.name, pull_number: pull.number };
    await octokit.rest.pulls.createReview({
      ...params,
      event: 'COMMENT',
      body: 'r',
      comments: [{ path: 'a.py', line: 5, body: 'about line 5' }],
    });
    const listed = async () => (await octokit.rest.pulls.listReviewComments(params)).data[0];
    expect(await listed()).toMatchObject({ line: 5, original_line: 5, position: 5, original_position: 5 });
    const moved = 'import os\n' + numberedLines(10, { line: 5, text: 'line_5 = "changed"' });
    await sim.pushToPullRequest(repo, pull, 'insert a line above', { 'a.py': moved });
    expect(await listed()).toMatchObject({ line: 6, original_line: 5, commit_id: sim.headCommit(repo, pull).sha });
    await sim.pushToPullRequest(repo, pull, 'change the commented line', {
      'a.py': moved.replace('line_5 = "changed"', 'line_5 = "changed again"'),
    });
    expect(await listed()).toMatchObject({ line: null, position: null, original_line: 5 });
  });

  test('a user may have one pending review per pull request', async () => {
    const repo = newRepository({ 'a.py': 'x = 1\n' });
    const pull = await openPull(repo, { 'a.py': 'x = 2\n' });
    const params = { owner: 'octo-org', repo: repo.store.name, pull_number: pull.number };
    const pending = await octokit.rest.pulls.createReview({ ...params, body: 'draft' });
    expect(pending.data.state).toBe('PENDING');
    expect(await statusOf(octokit.rest.pulls.createReview({ ...params, body: 'another draft' }))).toMatchObject({
      status: 422,
      data: { errors: ['User can only have one pending review per pull request'] },
    });
    await octokit.rest.pulls.submitReview({ ...params, review_id: pending.data.id, event: 'COMMENT' });
    expect((await octokit.rest.pulls.createReview({ ...params, body: 'a new draft' })).data.state).toBe('PENDING');
  });

  test('comment bodies over 65,536 characters are refused; editing and reactions work on own comments', async () => {
    const repo = newRepository();
    const pull = await openPull(repo, { 'a.py': 'x = 1\n' });
    const params = { owner: 'octo-org', repo: repo.store.name };
    expect(
      (
        await statusOf(
          octokit.rest.issues.createComment({ ...params, issue_number: pull.number, body: 'x'.repeat(65_537) }),
        )
      ).status,
    ).toBe(422);
    const created = await octokit.rest.issues.createComment({
      ...params,
      issue_number: pull.number,
      body: 'x'.repeat(65_536),
    });
    await octokit.rest.issues.updateComment({ ...params, comment_id: created.data.id, body: 'edited' });
    await octokit.rest.reactions.createForIssueComment({ ...params, comment_id: created.data.id, content: 'eyes' });
    expect(sim.issueComments(repo, pull)).toEqual([
      expect.objectContaining({ body: 'edited', reactions: [expect.objectContaining({ content: 'eyes' })] }),
    ]);
    const permission = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...params, username: 'octo-org' });
    expect(permission.data.permission).toBe('admin');
  });
});

describe('contents and configuration', () => {
  test('serves base64 JSON, the raw media type, a 404 for a missing config, and the org .github fallback Probot reads', async () => {
    const repo = newRepository({ 'app.py': 'print("hi")\n' });
    const params = { owner: 'octo-org', repo: repo.store.name };
    const json = await octokit.rest.repos.getContent({ ...params, path: 'app.py' });
    expect(Buffer.from((json.data as { content: string }).content, 'base64').toString('utf8')).toBe('print("hi")\n');
    const raw = await octokit.rest.repos.getContent({ ...params, path: 'app.py', mediaType: { format: 'raw' } });
    expect(raw.data as unknown).toBe('print("hi")\n');
    expect((await statusOf(octokit.rest.repos.getContent({ ...params, path: '.github/warden.yml' }))).status).toBe(404);

    const ProbotLike = Octokit.plugin(configPlugin);
    const token = (
      await new Octokit({
        log: quiet,
        baseUrl: baseUrl(),
        auth: appJwt(credentials.privateKey),
      }).rest.apps.createInstallationAccessToken({ installation_id: 1 })
    ).data.token;
    const withConfig = new ProbotLike({ log: quiet, baseUrl: baseUrl(), auth: token });
    expect((await withConfig.config.get({ ...params, path: '.github/warden.yml' })).config).toEqual({});
    sim.createRepository('octo-org', '.github', { '.github/warden.yml': 'fail_on: false\n' });
    expect((await withConfig.config.get({ ...params, path: '.github/warden.yml' })).config).toEqual({ fail_on: false });
  });
});

describe('GraphQL', () => {
  test('reads blobs in one aliased query: text, binary, truncated and missing', async () => {
    const big = 'x = 1\n'.repeat(100_000);
    const repo = newRepository({ 'a.py': 'a = 1\n', 'logo.png': Buffer.from([0x89, 0x50, 0x00, 0x01]), 'big.py': big });
    const sha = repo.store.branch('main')!;
    const fields = '... on Blob { text isBinary byteSize isTruncated }';
    const result = await octokit.graphql<Record<string, { object: Record<string, unknown> | null }>>(
      `query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) {
        f0: object(expression: "${sha}:a.py") { ${fields} }
        f1: object(expression: "${sha}:logo.png") { ${fields} }
        f2: object(expression: "${sha}:big.py") { ${fields} }
        f3: object(expression: "${sha}:missing.py") { ${fields} }
      } }`,
      { owner: 'octo-org', name: repo.store.name },
    );
    const objects = result.repository as unknown as Record<string, Record<string, unknown> | null>;
    expect(objects.f0).toEqual({ text: 'a = 1\n', isBinary: false, byteSize: 6, isTruncated: false });
    expect(objects.f1).toMatchObject({ text: null, isBinary: true, byteSize: 4 });
    expect(objects.f2).toMatchObject({ isTruncated: true, byteSize: big.length });
    expect((objects.f2!.text as string).length).toBe(512_000);
    expect(objects.f3).toBeNull();
  });

  test('securityVulnerabilities answers from the advisory database by normalized PIP package name', async () => {
    const result = await octokit.graphql<
      Record<
        string,
        {
          nodes: {
            advisory: { ghsaId: string; identifiers: { type: string; value: string }[] };
            vulnerableVersionRange: string;
            firstPatchedVersion: { identifier: string } | null;
          }[];
          pageInfo: { hasNextPage: boolean };
        }
      >
    >(
      `query { p0: securityVulnerabilities(ecosystem: PIP, package: "PyYAML", first: 100) { nodes { advisory { ghsaId identifiers { type value } } vulnerableVersionRange firstPatchedVersion { identifier } } pageInfo { hasNextPage endCursor } }
        p1: securityVulnerabilities(ecosystem: PIP, package: "left-pad", first: 100) { nodes { vulnerableVersionRange } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(
      result.p0.nodes.map((node) => [
        node.advisory.ghsaId,
        node.vulnerableVersionRange,
        node.firstPatchedVersion?.identifier,
      ]),
    ).toEqual([
      ['GHSA-6757-jp84-gxfx', '< 5.3.1', '5.3.1'],
      ['GHSA-8q59-q68h-6hv4', '< 5.4', '5.4'],
    ]);
    expect(result.p0.nodes[0].advisory.identifiers).toContainEqual({ type: 'CVE', value: 'CVE-2020-1747' });
    expect(result.p1).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
    await expect(
      octokit.graphql('{ securityVulnerabilities(ecosystem: PYPI, first: 1) { nodes { severity } } }'),
    ).rejects.toThrow(/ecosystem/);
  });

  test('minimizeComment hides a comment by node id; a bad classifier or unknown field is an error', async () => {
    const repo = newRepository();
    const pull = await openPull(repo, { 'a.py': 'x = 1\n' });
    const comment = await octokit.rest.issues.createComment({
      owner: 'octo-org',
      repo: repo.store.name,
      issue_number: pull.number,
      body: 'stale',
    });
    const mutation =
      'mutation($id: ID!, $classifier: ReportedContentClassifiers!) { minimizeComment(input: { subjectId: $id, classifier: $classifier }) { minimizedComment { isMinimized minimizedReason } } }';
    const minimized = await octokit.graphql<{ minimizeComment: { minimizedComment: Record<string, unknown> } }>(
      mutation,
      { id: comment.data.node_id, classifier: 'RESOLVED' },
    );
    expect(minimized.minimizeComment.minimizedComment).toEqual({ isMinimized: true, minimizedReason: 'resolved' });
    expect(sim.issueComments(repo, pull)[0].minimized).toEqual({ reason: 'RESOLVED' });
    await expect(octokit.graphql(mutation, { id: comment.data.node_id, classifier: 'BORING' })).rejects.toThrow(
      /classifier/,
    );
    await expect(octokit.graphql('{ repository(owner: "octo-org", name: "sim-1") { noSuchField } }')).rejects.toThrow(
      /noSuchField/,
    );
  });
});

describe('webhooks and the call record', () => {
  test('deliveries carry the event, a uuid delivery id and a valid HMAC-SHA256 signature of the body', async () => {
    const repo = newRepository();
    received.length = 0;
    const pull = await openPull(repo, { 'a.py': 'x = 1\n' });
    const [delivery] = received;
    expect(delivery.headers['x-github-event']).toBe('pull_request');
    expect(delivery.headers['x-github-delivery']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(delivery.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', credentials.webhookSecret).update(delivery.body).digest('hex')}`,
    );
    const payload = JSON.parse(delivery.body) as { pull_request: { head: { sha: string } } };
    expect(payload).toMatchObject({
      action: 'opened',
      number: pull.number,
      installation: { id: 1 },
      repository: { full_name: `octo-org/${repo.store.name}` },
    });
    expect(payload.pull_request.head.sha).toBe(sim.headCommit(repo, pull).sha);
  });

  test('pressing a check run button sends check_run.requested_action with its identifier; an unknown button is an error', async () => {
    const repo = newRepository();
    const created = await octokit.rest.checks.create({
      owner: 'octo-org',
      repo: repo.store.name,
      name: 'Warden',
      head_sha: repo.store.branch('main')!,
      actions: [{ label: 'Rescan', description: 'Scan again', identifier: 'rescan' }],
    });
    const run = sim.checkRuns(repo)[0];
    received.length = 0;
    await sim.pressCheckRunAction(repo, run, 'rescan', 'mona');
    const delivery = received.find(
      (candidate) => candidate.headers['x-github-event'] === 'check_run' && candidate.body.includes('requested_action'),
    )!;
    expect(JSON.parse(delivery.body)).toMatchObject({
      action: 'requested_action',
      requested_action: { identifier: 'rescan' },
      check_run: { id: created.data.id },
      sender: { login: 'mona' },
    });
    await expect(sim.pressCheckRunAction(repo, run, 'deploy', 'mona')).rejects.toThrow(/no action "deploy"/);
  });

  test('a redelivery repeats the payload under the same delivery id', async () => {
    const repo = newRepository();
    received.length = 0;
    const { delivery } = await sim.openPullRequest(repo, {
      branch: 'topic',
      title: 'Topic',
      author: 'alice',
      files: { 'a.py': 'x = 1\n' },
    });
    const again = await sim.redeliver(delivery!);
    expect(again.id).toBe(delivery!.id);
    expect(received.map((request) => request.headers['x-github-delivery'])).toEqual([delivery!.id, delivery!.id]);
    expect(received[1].body).toBe(received[0].body);
  });

  test('content creation past 80 requests a minute meets the secondary rate limit', async () => {
    sim.createRepository('busy-org', 'busy', { 'a.py': 'x = 1\n' }, { installationId: 3 });
    const busy = await installationOctokit(3);
    const repo = sim.repository('busy-org', 'busy')!;
    const pull = await openPull(repo, { 'a.py': 'x = 2\n' });
    const params = { owner: 'busy-org', repo: 'busy', issue_number: pull.number };
    for (let index = 0; index < 80; index += 1)
      await busy.rest.issues.createComment({ ...params, body: `comment ${index}` });
    const limited = await statusOf(busy.rest.issues.createComment({ ...params, body: 'one too many' }));
    expect(limited.status).toBe(403);
    expect(String(limited.data.message)).toContain('secondary rate limit');
    expect(sim.issueComments(repo, pull)).toHaveLength(80);
  });

  test('every API call is recorded with its method, path, route and status', async () => {
    const repo = newRepository();
    const bookmark = sim.calls.length;
    await statusOf(octokit.rest.pulls.get({ owner: 'octo-org', repo: repo.store.name, pull_number: 99 }));
    await octokit.rest.repos.get({ owner: 'octo-org', repo: repo.store.name });
    expect(
      sim.callsSince(bookmark).map(({ method, path, route, status }) => ({ method, path, route, status })),
    ).toEqual([
      {
        method: 'GET',
        path: `/repos/octo-org/${repo.store.name}/pulls/99`,
        route: '/repos/{owner}/{repo}/pulls/{pull_number}',
        status: 404,
      },
      { method: 'GET', path: `/repos/octo-org/${repo.store.name}`, route: '/repos/{owner}/{repo}', status: 200 },
    ]);
  });
});

describe('review threads', () => {
  const THREADS =
    'query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { pullRequest(number: $number) { reviewThreads(first: 10) { nodes { id isResolved resolvedBy { login } comments(first: 5) { nodes { databaseId } } } } } } }';
  type Threads = {
    repository: {
      pullRequest: {
        reviewThreads: {
          nodes: {
            id: string;
            isResolved: boolean;
            resolvedBy: { login: string } | null;
            comments: { nodes: { databaseId: number }[] };
          }[];
        };
      };
    };
  };

  async function commentedPull() {
    const repo = newRepository();
    const pull = await openPull(repo, { 'a.py': 'x = 1\ny = 2\n' });
    const target = { owner: 'octo-org', repo: repo.store.name, pull_number: pull.number };
    const head = sim.headCommit(repo, pull).sha;
    const root = await octokit.rest.pulls.createReviewComment({
      ...target,
      body: 'finding',
      commit_id: head,
      path: 'a.py',
      line: 2,
    });
    await octokit.rest.pulls.createReplyForReviewComment({ ...target, comment_id: root.data.id, body: 'a reply' });
    const threads = async () =>
      (await octokit.graphql<Threads>(THREADS, { owner: 'octo-org', name: repo.store.name, number: pull.number }))
        .repository.pullRequest.reviewThreads.nodes;
    return { repo, pull, root: root.data, threads };
  }

  test('resolveReviewThread and unresolveReviewThread change the thread reviewThreads lists, replies included', async () => {
    const { repo, pull, root, threads } = await commentedPull();
    const [thread] = await threads();
    expect(thread).toMatchObject({ isResolved: false, resolvedBy: null });
    expect(thread.comments.nodes.map((comment) => comment.databaseId)).toEqual([root.id, expect.any(Number)]);

    const resolved = await octokit.graphql<{ resolveReviewThread: { thread: { id: string; isResolved: boolean } } }>(
      'mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }',
      { id: thread.id },
    );
    expect(resolved.resolveReviewThread.thread).toEqual({ id: thread.id, isResolved: true });
    expect((await threads())[0]).toMatchObject({ isResolved: true, resolvedBy: { login: sim.bot.login } });
    expect(sim.reviewThreads(repo, pull)).toEqual([
      expect.objectContaining({ isResolved: true, resolvedBy: sim.bot.login }),
    ]);

    await octokit.graphql(
      'mutation($id: ID!) { unresolveReviewThread(input: { threadId: $id }) { thread { isResolved } } }',
      {
        id: thread.id,
      },
    );
    expect((await threads())[0]).toMatchObject({ isResolved: false, resolvedBy: null });
    await expect(
      octokit.graphql('mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id } } }', {
        id: root.node_id,
      }),
    ).rejects.toThrow(/Could not resolve to a node/);
  });

  test('an installation without contents: write may not resolve a thread, as on GitHub', async () => {
    const { threads } = await commentedPull();
    const [thread] = await threads();
    sim.permissions.contents = 'read';
    try {
      await expect(
        octokit.graphql('mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id } } }', {
          id: thread.id,
        }),
      ).rejects.toThrow('Resource not accessible by integration');
    } finally {
      sim.permissions.contents = 'write';
    }
    expect((await threads())[0].isResolved).toBe(false);
  });
});

describe('merge queue', () => {
  test('enqueueInMergeQueue commits the group onto the base and delivers merge_group; checks run on its commit', async () => {
    const repo = newRepository();
    const pull = await openPull(repo, { 'a.py': 'x = 1\n' });
    const baseSha = repo.store.branch('main')!;
    const before = received.length;

    const { group, delivery } = await sim.enqueueInMergeQueue(repo, pull);

    expect(delivery?.status).toBe(202);
    const payload = JSON.parse(received[before].body);
    expect(received[before].headers['x-github-event']).toBe('merge_group');
    expect(payload).toMatchObject({
      action: 'checks_requested',
      merge_group: { head_sha: group.headSha, head_ref: group.headRef, base_sha: baseSha, base_ref: 'refs/heads/main' },
      installation: { id: 1 },
    });
    expect(group.headRef).toBe(`refs/heads/gh-readonly-queue/main/pr-${pull.number}-${sim.headCommit(repo, pull).sha}`);
    const commit = repo.store.commit(group.headSha)!;
    expect(commit.parents).toEqual([baseSha]);
    expect(commit.files.get('a.py')?.toString()).toBe('x = 1\n');

    const owner = { owner: 'octo-org', repo: repo.store.name };
    const compare = await octokit.rest.repos.compareCommitsWithBasehead({
      ...owner,
      basehead: `${baseSha}...${group.headSha}`,
    });
    expect(compare.data.files?.map((file) => file.filename)).toEqual(['a.py']);
    await octokit.rest.checks.create({ ...owner, name: 'Warden', head_sha: group.headSha, conclusion: 'success' });
    expect(sim.checkRuns(repo, group.headSha)).toEqual([expect.objectContaining({ conclusion: 'success' })]);
  });
});
