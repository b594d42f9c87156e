import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { readState } from '../../src/report/markers.js';
import {
  blob,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  MARKER_KEY,
  pullRequestPayload,
  TASKS,
  useNock,
} from './harness.js';

useNock();

describe('the review', () => {
  test('falls back to a review without inline comments when GitHub answers 422', async () => {
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS)
      .reviewComments()
      .head()
      .review(422)
      .review()
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload());

    const [rejected, retried] = github.bodies.review;
    expect(rejected.comments).toHaveLength(1);
    expect(retried.comments).toBeUndefined();
    expect(retried).toMatchObject({ event: 'COMMENT', commit_id: HEAD_SHA });
    expect(retried.body).toContain('`app/tasks.py:4`');
    expect(retried.body).toContain('Subprocess launched through a shell');
    expect(github.bodies.updateCheckRun[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('anchors a finding on an untouched line on its touched trace step, with escaped code text', async () => {
    // Only line 2 (the source of the data) changed; the eval on line 4 is old code.
    const text = [
      'import ast',
      'expr = request.args["q"]  # ping @octo-org/admins, see <b>x</b>',
      '',
      'eval(expr)',
      '',
    ].join('\n');
    const patch =
      '@@ -1,4 +1,4 @@\n import ast\n-expr = "1 + 1"\n+expr = request.args["q"]  # ping @octo-org/admins, see <b>x</b>\n \n eval(expr)';
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([{ filename: 'calc.py', status: 'modified', patch }])
      .contents({ [`${HEAD_SHA}:calc.py`]: blob(text) })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const [comment] = github.bodies.review[0].comments;
    expect(comment).toMatchObject({ path: 'calc.py', line: 2, side: 'RIGHT' });
    expect(comment.start_line).toBeUndefined();
    expect(comment.body).toContain('**Data flow**');
    expect(comment.body).toContain('@\u200docto-org/admins');
    expect(comment.body).not.toMatch(/@octo-org/);
    expect(comment.body).toContain('&lt;b&gt;x&lt;/b&gt;');
    // The fix is on line 4, outside the commented line: no suggestion.
    expect(comment.body).not.toContain('```suggestion');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('offers a suggestion when the fix falls inside the commented lines', async () => {
    const text = ['import ast', 'expr = input()', 'value = eval(expr)', ''].join('\n');
    const github = new GitHubMock().scanningOneFile('calc.py', text).publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const [comment] = github.bodies.review[0].comments;
    expect(comment).toMatchObject({ path: 'calc.py', line: 3, side: 'RIGHT' });
    expect(comment.body).toContain('```suggestion\nvalue = ast.literal_eval(expr)\n```');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('comments inline on at most `max_comments` findings and lists the rest in the body', async () => {
    const calls = Array.from({ length: 4 }, (_, i) => `    subprocess.run(cmd${i}, shell=True)`);
    const text = ['import subprocess', '', 'def run_all(cmd0, cmd1, cmd2, cmd3):', ...calls, ''].join('\n');
    const github = new GitHubMock()
      .scanningOneFile('run.py', text, 'comments:\n  max_comments: 2\n')
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const review = github.bodies.review[0];
    expect(review.comments.map((comment: { line: number }) => comment.line)).toEqual([4, 5]);
    expect(review.body).toContain('`run.py:6`');
    expect(review.body).toContain('`run.py:7`');
    expect(review.body).toContain('over the 2-comment limit');
    // Two fingerprints, so a re-push does not list these two again.
    expect(readState(review.body, MARKER_KEY)?.listed).toEqual([
      expect.stringMatching(/^[0-9a-f]{32}$/),
      expect.stringMatching(/^[0-9a-f]{32}$/),
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('posts no review in `check-only` mode', async () => {
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS, 'comments:\n  mode: check-only\n')
      .head()
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.review).toBeUndefined();
    expect(github.bodies.updateCheckRun[0].output.annotations).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
