import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  BOT,
  createTestApp,
  fingerprintIn,
  GitHubMock,
  HEAD_SHA,
  MARKER_KEY,
  OWNER,
  pullRequestPayload,
  REPO,
  useNock,
  type CommentEdit,
  type GraphqlBody,
} from './harness.js';
import { readState, withState } from '../../src/report/markers.js';

const OLD_CALL = 'subprocess.run(f"tar czf {name}.tgz data/", shell=True)';
const NEW_CALL = 'subprocess.call("rm -rf " + path, shell=True)';
const HUMAN = { login: 'octocat', type: 'User' };

function fingerprintOf(call: string): string {
  return fingerprintIn('app/tasks.py', source(call));
}

function ourComment(id: number, call: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    node_id: `PRRC_${id}`,
    path: 'app/tasks.py',
    user: BOT,
    body: withState('old', { fingerprint: fingerprintOf(call), rule: 'subprocess-shell-true' }, MARKER_KEY),
    ...extra,
  };
}

function source(...calls: string[]): string {
  return ['import subprocess', '', 'def archive(name, path):', ...calls.map((call) => `    ${call}`), ''].join('\n');
}

useNock();

describe('a re-push', () => {
  test('posts only the findings no earlier comment of ours carries', async () => {
    const text = source(OLD_CALL, NEW_CALL);
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', text)
      .reviewComments([ourComment(11, OLD_CALL)])
      .head()
      .earlierReviews()
      .review()
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload({ action: 'synchronize' }));

    const review = github.bodies.review[0];
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({ line: 5 });
    expect(readState(review.comments[0].body, MARKER_KEY)?.fingerprint).toBe(fingerprintOf(NEW_CALL));
    // The check run still reports both: it describes the commit, not what is new.
    expect(github.bodies.updateCheckRun[0].output.annotations).toHaveLength(2);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('does not list again the findings an earlier review listed in its body', async () => {
    const text = source(OLD_CALL, NEW_CALL);
    const earlier = {
      id: 5,
      user: BOT,
      state: 'COMMENTED',
      body: withState('Findings: …', { listed: [fingerprintOf(NEW_CALL)] }, MARKER_KEY),
    };
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', text)
      .reviewComments([ourComment(11, OLD_CALL)])
      .head()
      .earlierReviews([earlier])
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload({ action: 'synchronize' }));

    expect(github.bodies.review).toBeUndefined();
    expect(github.bodies.updateCheckRun[0].output.annotations).toHaveLength(2);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('posts no review when nothing is new', async () => {
    const text = source(OLD_CALL);
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', text)
      .reviewComments([ourComment(11, OLD_CALL)])
      .head()
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload({ action: 'synchronize' }));

    expect(github.bodies.review).toBeUndefined();
    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('marks the comment of a fixed finding as fixed and minimizes it, but leaves a thread a person answered', async () => {
    const text = source('subprocess.run(["tar", "czf", f"{name}.tgz", "data/"])');
    const answered = ourComment(12, NEW_CALL);
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', text)
      .reviewComments([
        ourComment(11, OLD_CALL),
        answered,
        { id: 13, node_id: 'PRRC_13', path: 'app/tasks.py', user: HUMAN, body: 'this is intended', in_reply_to_id: 12 },
      ])
      .head()
      .completeCheckRun();
    const edits: CommentEdit[] = [];
    github.scope
      .patch(`/repos/${OWNER}/${REPO}/pulls/comments/11`, (body) => (edits.push(body), true))
      .reply(200, { id: 11 });
    const minimized: GraphqlBody[] = [];
    github.scope
      .post('/graphql', (body) => String(body.query).includes('minimizeComment') && (minimized.push(body), true))
      .reply(200, { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } });
    github
      .reviewThreads([
        { id: 'PRRT_11', firstCommentId: 11 },
        { id: 'PRRT_12', firstCommentId: 12 },
      ])
      .threadResolution('resolveReviewThread');

    const app = createTestApp();
    await app.receive(pullRequestPayload({ action: 'synchronize' }));

    expect(edits).toHaveLength(1);
    expect(edits[0].body).toContain(`✅ Fixed in ${HEAD_SHA.slice(0, 7)}`);
    expect(readState(edits[0].body, MARKER_KEY)).toEqual({
      fingerprint: fingerprintOf(OLD_CALL),
      rule: 'subprocess-shell-true',
      fixed: true,
    });
    expect(minimized[0].query).toContain('minimizeComment');
    expect(minimized[0].query).toContain('RESOLVED');
    expect(minimized[0].variables).toEqual({ id: 'PRRC_11' });
    // The fixed finding's thread is resolved; the thread a person answered stays open.
    expect(github.bodies.resolveReviewThread.map((body) => body.variables)).toEqual([{ id: 'PRRT_11' }]);
    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'success' });
    expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('leaves the comments of a rule the config switched off alone', async () => {
    const text = source(OLD_CALL);
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', text, 'rules:\n  subprocess-shell-true: off\n')
      .reviewComments([ourComment(11, OLD_CALL)])
      .head()
      .completeCheckRun();

    const app = createTestApp();
    await app.receive(pullRequestPayload({ action: 'synchronize' }));

    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'success' });
    // An attempt to edit the comment would have met no interceptor and been logged as a warning.
    expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
