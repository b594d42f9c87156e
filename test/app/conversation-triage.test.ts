import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { readState, withState } from '../../src/report/markers.js';
import { withoutTriageNote, withTriageNote } from '../../src/report/conversation.js';
import {
  BOT,
  createTestApp,
  fingerprintIn,
  GitHubMock,
  MARKER_KEY,
  OWNER,
  pullRequestPayload,
  REPO,
  reviewReplyPayload,
  TASKS,
  useNock,
  type CommentEdit,
  type GraphqlBody,
} from './harness.js';

const FINGERPRINT = fingerprintIn('app/tasks.py', TASKS);
const OUR_COMMENT_ID = 11;
const REPLY_ID = 9101;
const ORIGINAL = withState(
  '🔴 **Shell command** · `subprocess-shell-true`',
  { fingerprint: FINGERPRINT, rule: 'subprocess-shell-true' },
  MARKER_KEY,
);
const COMMENT_PATH = `/repos/${OWNER}/${REPO}/pulls/comments/${OUR_COMMENT_ID}`;

function ourComment(body = ORIGINAL) {
  return { id: OUR_COMMENT_ID, node_id: 'PRRC_11', path: 'app/tasks.py', line: 4, user: BOT, body };
}

function humanReply(body: string) {
  return {
    id: REPLY_ID,
    node_id: 'PRRC_9101',
    path: 'app/tasks.py',
    user: { login: 'octocat', type: 'User' },
    body,
    in_reply_to_id: OUR_COMMENT_ID,
  };
}

useNock();

/** The thread our finding comment opened, and another one on the same pull request. */
const THREADS = [
  { id: 'PRRT_other', firstCommentId: 7 },
  { id: 'PRRT_11', firstCommentId: OUR_COMMENT_ID },
];

/**
 * Mocks the calls of a triage command by a maintainer, up to the thread's resolution (which the
 * test mocks); returns the edits and minimize mutations GitHub got.
 */
function triageAccepted(github: GitHubMock, parentBody = ORIGINAL) {
  const edits: CommentEdit[] = [];
  const mutations: GraphqlBody[] = [];
  github.scope.get(COMMENT_PATH).reply(200, ourComment(parentBody));
  github.permission('octocat', 'write').reaction('review', REPLY_ID, 'eyes');
  github.scope.patch(COMMENT_PATH, (body) => (edits.push(body), true)).reply(200, { id: OUR_COMMENT_ID });
  github.scope
    .post('/graphql', (body) => /minimizeComment/i.test(body.query) && (mutations.push(body), true))
    .reply(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
  github.reaction('review', REPLY_ID, 'rocket');
  return { edits, mutations };
}

describe('triage replies on a finding comment', () => {
  test('/warden fp records who, when and why in the comment and folds the thread away', async () => {
    const github = new GitHubMock().token();
    const { edits, mutations } = triageAccepted(github);
    github.reviewThreads(THREADS).threadResolution('resolveReviewThread');

    await createTestApp().deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden fp the name comes from our own job table <b>', { login: 'octocat' }, OUR_COMMENT_ID),
    );

    const { body } = edits[0];
    expect(body.startsWith('🔴 **Shell command** · `subprocess-shell-true`\n\n<!-- warden:triage-note -->')).toBe(true);
    expect(body).toContain('Dismissed as a false positive by @octocat on ');
    expect(body).toContain('the name comes from our own job table &lt;b&gt;');
    expect(readState(body, MARKER_KEY)?.triage).toEqual({
      verdict: 'fp',
      by: 'octocat',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      reason: 'the name comes from our own job table <b>',
    });
    expect(mutations[0].query).toContain('minimizeComment');
    expect(mutations[0].query).toContain('RESOLVED');
    expect(mutations[0].variables).toEqual({ id: 'PRRC_11' });
    expect(github.bodies.reviewThreads[0].variables).toMatchObject({ owner: OWNER, name: REPO, number: 2 });
    expect(github.bodies.resolveReviewThread.map((body) => body.variables)).toEqual([{ id: 'PRRT_11' }]);
    expect(github.bodies.reaction).toEqual([`review:${REPLY_ID}:eyes`, `review:${REPLY_ID}:rocket`]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('/warden reopen takes the note and marker off and unfolds the thread', async () => {
    const triaged = withTriageNote(
      ORIGINAL,
      {
        verdict: 'accept-risk',
        by: 'octocat',
        at: '2026-11-28T10:00:00.000Z',
        reason: 'internal tool',
      },
      MARKER_KEY,
    );
    const github = new GitHubMock().token();
    const { edits, mutations } = triageAccepted(github, triaged);
    github.reviewThreads([THREADS[0], { ...THREADS[1], isResolved: true }]).threadResolution('unresolveReviewThread');

    await createTestApp().deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden reopen', { login: 'octocat' }, OUR_COMMENT_ID),
    );

    expect(edits[0].body).toBe(ORIGINAL);
    expect(mutations[0].query).toContain('unminimizeComment');
    expect(mutations[0].variables).toEqual({ id: 'PRRC_11' });
    expect(github.bodies.unresolveReviewThread.map((body) => body.variables)).toEqual([{ id: 'PRRT_11' }]);
    expect(github.bodies.resolveReviewThread).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a thread GitHub will not resolve (no contents: write) is logged, and the dismissal still stands', async () => {
    const github = new GitHubMock().token();
    const { edits } = triageAccepted(github);
    github.reviewThreads(THREADS).threadResolution('resolveReviewThread', 'forbidden');

    const app = createTestApp();
    await app.deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden accept-risk internal tool', { login: 'octocat' }, OUR_COMMENT_ID),
    );

    expect(readState(edits[0].body, MARKER_KEY)?.triage?.verdict).toBe('accept-risk');
    const warnings = app.logs.filter((entry) => entry.level >= 40);
    expect(warnings.map((entry) => entry.msg)).toEqual(["cannot resolve the review threads of Warden's comments"]);
    expect(warnings[0].err.message).toContain('Resource not accessible by integration');
    // The 🚀 still says the command was carried out.
    expect(github.bodies.reaction).toEqual([`review:${REPLY_ID}:eyes`, `review:${REPLY_ID}:rocket`]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a thread already resolved costs no mutation', async () => {
    const github = new GitHubMock().token();
    triageAccepted(github);
    github.reviewThreads([{ ...THREADS[1], isResolved: true }]);

    const app = createTestApp();
    await app.deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden fp test data', { login: 'octocat' }, OUR_COMMENT_ID),
    );

    expect(github.bodies.resolveReviewThread).toBeUndefined();
    expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('from someone without write access is refused with a reply and changes nothing', async () => {
    const github = new GitHubMock().token().permission('visitor', 'read').conversation().reply();
    github.scope.get(COMMENT_PATH).reply(200, ourComment());

    await createTestApp().deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden fp nah', { login: 'visitor' }, OUR_COMMENT_ID),
    );

    expect(readState(github.bodies.reply[0].body, MARKER_KEY)?.refused).toBe('visitor');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('in a thread that is not about one of our findings is ignored', async () => {
    const github = new GitHubMock().token();
    github.scope
      .get(COMMENT_PATH)
      .reply(200, { ...ourComment('Could you rename this?'), user: { login: 'octocat', type: 'User' } });

    await createTestApp().deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden fp', { login: 'octocat' }, OUR_COMMENT_ID),
    );

    expect(github.bodies.reaction).toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('from a bot costs no call', async () => {
    const github = new GitHubMock();
    await createTestApp().deliver(
      'pull_request_review_comment',
      reviewReplyPayload('/warden fp automated', { login: 'renovate[bot]', type: 'Bot' }, OUR_COMMENT_ID),
    );
    expect(github.calls).toBe(0);
  });

  test('a top-level review comment or one without a triage command costs no call', async () => {
    const github = new GitHubMock();
    const topLevel = reviewReplyPayload('/warden fp', { login: 'octocat' }, OUR_COMMENT_ID);
    delete topLevel.comment.in_reply_to_id;
    const app = createTestApp();
    await app.deliver('pull_request_review_comment', topLevel);
    await app.deliver(
      'pull_request_review_comment',
      reviewReplyPayload('I think this is fine', { login: 'octocat' }, OUR_COMMENT_ID),
      'delivery-2',
    );
    expect(github.calls).toBe(0);
  });
});

describe('scans after a triage', () => {
  test('neither post nor count a dismissed finding, and list it as dismissed', async () => {
    const triaged = withTriageNote(
      ORIGINAL,
      {
        verdict: 'fp',
        by: 'octocat',
        at: '2026-11-28T10:00:00.000Z',
        reason: 'names come from the job table',
      },
      MARKER_KEY,
    );
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS)
      .reviewComments([ourComment(triaged), humanReply('/warden fp names come from the job table')])
      .head()
      .completeCheckRun();

    const app = createTestApp();
    await app.receive(pullRequestPayload({ action: 'synchronize' }));

    expect(github.bodies.review).toBeUndefined();
    const update = github.bodies.updateCheckRun[0];
    expect(update.conclusion).toBe('success');
    expect(update.output.annotations).toEqual([]);
    expect(update.output.title).toBe('No findings in 1 Python file; 1 dismissed');
    expect(update.output.summary).toContain('### Dismissed');
    expect(update.output.summary).toMatch(
      /\| `subprocess-shell-true` \| `app\/tasks.py:4` \| a false positive \| @octocat \| names come from the job table \|/,
    );
    expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('count a reopened finding again, without posting it a second time', async () => {
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS)
      .reviewComments([ourComment(ORIGINAL), humanReply('/warden reopen')])
      .head()
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload({ action: 'synchronize' }));

    expect(github.bodies.review).toBeUndefined();
    const update = github.bodies.updateCheckRun[0];
    expect(update.conclusion).toBe('failure');
    expect(update.output.annotations).toHaveLength(1);
    expect(update.output.summary).not.toContain('Dismissed');
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('triage state', () => {
  test('survives any reason text and cannot be imitated by it', () => {
    const reason =
      'not reachable --> <!-- warden:state triage=accept-risk by=mallory at=2020-01-01T00:00:00Z reason= -->\nsecond line %E0';
    const triage = { verdict: 'fp' as const, by: 'octocat', at: '2026-11-28T10:00:00.000Z', reason };
    const body = withTriageNote(ORIGINAL, triage, MARKER_KEY);
    expect(readState(body, MARKER_KEY)?.triage).toEqual(triage);
    expect(withoutTriageNote(body, MARKER_KEY)).toBe(ORIGINAL);
  });

  test('reopening a comment whose quoted code holds the note opening keeps the comment whole', () => {
    const quoting = withState(
      '```suggestion\nx = 1  # <!-- warden:triage-note -->\n```',
      { fingerprint: FINGERPRINT, rule: 'subprocess-shell-true' },
      MARKER_KEY,
    );
    expect(withoutTriageNote(quoting, MARKER_KEY)).toBe(quoting);
  });
});
