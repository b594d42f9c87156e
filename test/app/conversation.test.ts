import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { MarkerKey, readState, stateTrailer } from '../../src/report/markers.js';
import { MAX_COMMAND_LINE, parseCommand } from '../../src/app/commands.js';
import {
  addedFilePatch,
  blob,
  checkRunPayload,
  checkSuitePayload,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  issueCommentPayload,
  MARKER_KEY,
  OWNER,
  PR,
  REPO,
  TASKS,
  TEST_RULES,
  useNock,
} from './harness.js';
import { until } from '../support/until.js';

const MAINTAINER = { login: 'octocat' };
const VISITOR = { login: 'visitor' };
const COMMENT_ID = 9001;

useNock();

/** Everything a rescan of the one-file pull request calls, after its command was accepted. */
function scanOfTasks(github: GitHubMock): GitHubMock {
  return github
    .createCheckRun()
    .config()
    .files([{ filename: 'app/tasks.py', patch: addedFilePatch(TASKS) }])
    .contents({ [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
    .reviewComments()
    .head()
    .earlierReviews()
    .review()
    .completeCheckRun();
}

function expectNoWarnings(app: ReturnType<typeof createTestApp>): void {
  expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
}

describe('/warden rescan', () => {
  test('from someone with write access scans the head again, with 👀 at once and 🚀 once queued', async () => {
    const github = new GitHubMock()
      .token()
      .permission('octocat', 'write')
      .reaction('issue', COMMENT_ID, 'eyes')
      .rescanAccepted()
      .reaction('issue', COMMENT_ID, 'rocket');
    scanOfTasks(github);

    const app = createTestApp();
    await app.deliver('issue_comment', issueCommentPayload('/warden rescan', MAINTAINER));

    expect(github.bodies.createCheckRun).toEqual([
      expect.objectContaining({ head_sha: HEAD_SHA, external_id: String(PR), name: 'Warden' }),
    ]);
    expect(github.bodies.review[0].comments).toHaveLength(1);
    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'failure' });
    expect(github.bodies.reaction).toEqual([`issue:${COMMENT_ID}:eyes`, `issue:${COMMENT_ID}:rocket`]);
    expect(app.logs.find((entry) => entry.msg === 'rescan requested')).toMatchObject({
      outcome: 'queued',
      sha: HEAD_SHA,
    });
    expectNoWarnings(app);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('is found anywhere on its own line of a longer comment, in any case', async () => {
    const github = new GitHubMock()
      .token()
      .permission('octocat', 'maintain')
      .reaction('issue', COMMENT_ID, 'eyes')
      .rescanAccepted()
      .reaction('issue', COMMENT_ID, 'rocket');
    scanOfTasks(github);

    await createTestApp().deliver(
      'issue_comment',
      issueCommentPayload('Pushed the fix for the flaky test.\n\n  /Warden RESCAN  \n\nThanks!', MAINTAINER),
    );

    expect(github.bodies.createCheckRun).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('from someone without write access gets one polite reply, and a second attempt none', async () => {
    const github = new GitHubMock().token().permission('visitor', 'read').conversation([]).reply();
    const app = createTestApp();
    await app.deliver('issue_comment', issueCommentPayload('/warden rescan', VISITOR));

    const [reply] = github.bodies.reply;
    expect(reply.body).toContain('@visitor');
    expect(reply.body).toContain('write, maintain or admin access');
    expect(readState(reply.body, MARKER_KEY)?.refused).toBe('visitor');
    expect(nock.pendingMocks()).toEqual([]);

    // The second time, the conversation holds our refusal: nothing is posted, nothing is scanned.
    const again = new GitHubMock()
      .permission('visitor', 'read')
      .conversation([{ id: 9500, user: { login: 'warden[bot]', type: 'Bot' }, body: reply.body }]);
    await app.deliver(
      'issue_comment',
      issueCommentPayload('/warden rescan', VISITOR, { commentId: 9002 }),
      'delivery-2',
    );

    expect(again.bodies.reply).toBeUndefined();
    expect(github.bodies.createCheckRun).toBeUndefined();
    expectNoWarnings(app);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('from someone with the triage role (read access to code) is refused', async () => {
    const github = new GitHubMock().token().permission('visitor', 'triage').conversation().reply();

    await createTestApp().deliver('issue_comment', issueCommentPayload('/warden rescan', VISITOR));

    expect(readState(github.bodies.reply[0].body, MARKER_KEY)?.refused).toBe('visitor');
    expect(github.bodies.createCheckRun).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('from someone who is no collaborator at all is refused as well', async () => {
    const github = new GitHubMock()
      .token()
      .permission('visitor', 404)
      .conversation([
        {
          id: 1,
          user: { login: 'someone', type: 'User' },
          body: `(a person typed this)\n${stateTrailer({ refused: 'visitor' }, new MarkerKey('a guessed secret'))}`,
        },
      ])
      .reply();

    await createTestApp().deliver('issue_comment', issueCommentPayload('/warden rescan', VISITOR));

    // Only our own marker counts: a person cannot switch off the reply for someone else.
    expect(github.bodies.reply).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test.each([
    ['a bot', issueCommentPayload('/warden rescan', { login: 'dependabot[bot]', type: 'Bot' })],
    ['Warden itself', issueCommentPayload('/warden rescan', { login: 'warden[bot]', type: 'Bot' })],
    ['a plain issue', issueCommentPayload('/warden rescan', MAINTAINER, { onPullRequest: false })],
    ['a comment without a command', issueCommentPayload('Looks good; will /warden rescan later', MAINTAINER)],
  ])('from %s is ignored without a single API call', async (_label, payload) => {
    const github = new GitHubMock();
    const app = createTestApp();
    await app.deliver('issue_comment', payload);

    expect(github.calls).toBe(0);
    expectNoWarnings(app);
  });

  test('an edited comment is ignored', async () => {
    const github = new GitHubMock();
    const payload = issueCommentPayload('/warden rescan', MAINTAINER);
    payload.action = 'edited';
    await createTestApp().deliver('issue_comment', payload);

    expect(github.calls).toBe(0);
  });

  test('a burst of ten rescans runs one scan now and one when the cooldown ends, with one reply', async () => {
    const github = new GitHubMock().token();
    for (let i = 0; i < 10; i++) github.permission('octocat', 'write').reaction('issue', COMMENT_ID + i, 'eyes');
    for (let i = 0; i < 10; i++) github.reaction('issue', COMMENT_ID + i, '+1');
    github.rescanAccepted();
    for (let i = 0; i < 10; i++) github.reaction('issue', COMMENT_ID + i, 'rocket');
    scanOfTasks(github).reply();
    // The deferred rescan, a second later.
    github.rescanAccepted();
    scanOfTasks(github);

    const app = createTestApp(TEST_RULES, 1000);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        app.deliver(
          'issue_comment',
          issueCommentPayload('/warden rescan', MAINTAINER, { commentId: COMMENT_ID + i }),
          `delivery-${i}`,
        ),
      ),
    );
    expect(github.bodies.createCheckRun).toHaveLength(1);
    expect(github.bodies.reply).toHaveLength(1);
    expect(github.bodies.reply[0].body).toMatch(
      /^@octocat, .*your rescan waits for the end of the cooldown: it starts in about 1 s/,
    );
    await until(() => github.bodies.updateCheckRun?.length === 2);

    expect(github.bodies.createCheckRun).toHaveLength(2);
    expect(github.bodies.review).toHaveLength(2);
    const reactions = (content: string) =>
      github.bodies.reaction.filter((reaction: string) => reaction.endsWith(`:${content}`));
    expect(reactions('eyes')).toHaveLength(10);
    // The rescan run at once and the deferred one: each on the comment that asked for it.
    expect(reactions('rocket')).toHaveLength(2);
    expect(reactions('+1')).toHaveLength(8);
    expectNoWarnings(app);
    nock.cleanAll();
  });

  test('within the cooldown after a scan of the head started, even one this process did not start, is run at its end', async () => {
    const github = new GitHubMock()
      .token()
      .permission('octocat', 'write')
      .reaction('issue', COMMENT_ID, 'eyes')
      .pullRequest()
      .runsOnHead([new Date(Date.now() - 1_000).toISOString()])
      .reply()
      .rescanAccepted()
      .reaction('issue', COMMENT_ID, 'rocket');
    scanOfTasks(github);

    const app = createTestApp(TEST_RULES, 2_000);
    await app.deliver('issue_comment', issueCommentPayload('/warden rescan', MAINTAINER));

    expect(github.bodies.createCheckRun).toBeUndefined();
    expect(github.bodies.reply[0].body).toContain('it starts in about 1 s');
    expect(app.logs.find((entry) => entry.msg === 'rescan deferred to the end of the cooldown')).toBeDefined();
    await until(() => github.bodies.updateCheckRun?.length === 1);
    expect(github.bodies.reaction).toEqual([`issue:${COMMENT_ID}:eyes`, `issue:${COMMENT_ID}:rocket`]);
    expect(github.bodies.createCheckRun).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('that failed to read the pull request can be asked for again at once', async () => {
    const github = new GitHubMock().token().permission('octocat', 'write').reaction('issue', COMMENT_ID, 'eyes');
    github.scope.get(`/repos/${OWNER}/${REPO}/pulls/${PR}`).reply(502, { message: 'Bad Gateway' });
    github
      .permission('octocat', 'write')
      .reaction('issue', COMMENT_ID + 1, 'eyes')
      .rescanAccepted()
      .reaction('issue', COMMENT_ID + 1, 'rocket');
    scanOfTasks(github);

    const app = createTestApp();
    await app.deliver('issue_comment', issueCommentPayload('/warden rescan', MAINTAINER));
    expect(app.logs.find((entry) => entry.msg === 'cannot handle the event')).toMatchObject({ event: 'issue_comment' });
    await app.deliver(
      'issue_comment',
      issueCommentPayload('/warden rescan', MAINTAINER, { commentId: COMMENT_ID + 1 }),
      'delivery-2',
    );

    expect(github.bodies.createCheckRun).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('/warden help', () => {
  test('replies with the commands, the config file and where the rule docs are', async () => {
    const github = new GitHubMock()
      .token()
      .permission('octocat', 'admin')
      .reaction('issue', COMMENT_ID, 'eyes')
      .reply()
      .reaction('issue', COMMENT_ID, 'rocket');

    await createTestApp().deliver('issue_comment', issueCommentPayload('/warden help', MAINTAINER));

    const { body } = github.bodies.reply[0];
    for (const command of [
      '/warden rescan',
      '/warden help',
      '/warden fp <reason>',
      '/warden accept-risk <reason>',
      '/warden reopen',
    ])
      expect(body).toContain(command);
    expect(body).toContain('.github/warden.yml');
    expect(body).toContain('docs/rules/<rule-id>.md');
    expect(body).toContain('One rescan per pull request per 30 s');
    expect(github.bodies.createCheckRun).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('the re-run and Rescan buttons', () => {
  test.each([
    ['check_run.rerequested', 'check_run', checkRunPayload('rerequested')],
    ['check_run.requested_action (rescan)', 'check_run', checkRunPayload('requested_action')],
    ['check_suite.rerequested (a fork: no pull requests listed)', 'check_suite', checkSuitePayload([])],
    ['check_suite.rerequested', 'check_suite', checkSuitePayload([PR])],
  ])('%s rescans the pull request', async (label, name, payload) => {
    const github = new GitHubMock().token();
    if (label === 'check_suite.rerequested (a fork: no pull requests listed)') {
      github.scope
        .get(`/repos/${OWNER}/${REPO}/check-suites/77/check-runs`)
        .query({ check_name: 'Warden', per_page: '100' })
        .reply(200, {
          total_count: 1,
          check_runs: [{ id: 4242, name: 'Warden', external_id: String(PR), pull_requests: [] }],
        });
    }
    github.rescanAccepted();
    scanOfTasks(github);

    const app = createTestApp();
    await app.deliver(name, payload);

    expect(github.bodies.createCheckRun).toEqual([
      expect.objectContaining({ head_sha: HEAD_SHA, external_id: String(PR) }),
    ]);
    expect(github.bodies.updateCheckRun[0]).toMatchObject({
      status: 'completed',
      actions: [expect.objectContaining({ identifier: 'rescan' })],
    });
    expectNoWarnings(app);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test.each([
    ['a run of another app', checkRunPayload('rerequested', { appId: 999 })],
    ['a button of another action', checkRunPayload('requested_action', { identifier: 'explain' })],
  ])('%s is ignored', async (_label, payload) => {
    const github = new GitHubMock();
    await createTestApp().deliver('check_run', payload);
    expect(github.calls).toBe(0);
  });

  test('a suite of another app is ignored', async () => {
    const github = new GitHubMock();
    await createTestApp().deliver('check_suite', checkSuitePayload([PR], { appId: 999 }));
    expect(github.calls).toBe(0);
  });
});

describe('parseCommand', () => {
  test('takes the first /warden line, its word in any case and the rest of the line', () => {
    expect(parseCommand('hi\n/WARDEN fp  it is a test fixture \n/warden rescan')).toEqual({
      name: 'fp',
      argument: 'it is a test fixture',
    });
    expect(parseCommand('/warden')).toEqual({ name: 'help', argument: '' });
    expect(parseCommand('/warden frobnicate now')).toEqual({ name: undefined, argument: 'now' });
    expect(parseCommand('please /warden rescan')).toBeUndefined();
    expect(parseCommand('/wardenrescan')).toBeUndefined();
  });

  test('parses a 60,000-character comment in linear time and caps the line it reads', () => {
    // Backtracks quadratically in `/^\/warden(?:\s+(\S+))?(?:\s+(.*))?$/`: about 30 s on a 2-core machine.
    const body = `/warden fp${' '.repeat(59_980)}a\rb`;
    expect(body.length).toBeGreaterThan(59_990);
    const started = performance.now();
    const command = parseCommand(body);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(command).toEqual({ name: 'fp', argument: '' });

    const reason = 'x'.repeat(60_000);
    expect(parseCommand(`/warden accept-risk ${reason}`)).toEqual({
      name: 'accept-risk',
      argument: reason.slice(0, MAX_COMMAND_LINE - '/warden accept-risk '.length),
    });
  });
});
