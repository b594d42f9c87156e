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
  pullRequestPayload,
  TASKS,
  useNock,
} from './harness.js';

useNock();

describe('first scan of a pull request', () => {
  test('posts an in-progress check run, then one review and the completed check run', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files([
        { filename: 'app/tasks.py', patch: addedFilePatch(TASKS) },
        { filename: 'README.md', patch: '@@ -0,0 +1 @@\n+hi' },
      ])
      .contents({ [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
      .publishingWithReview();
    const app = createTestApp();

    await app.receive(pullRequestPayload());

    expect(github.bodies.createCheckRun[0]).toMatchObject({
      name: 'Warden',
      head_sha: HEAD_SHA,
      status: 'in_progress',
      external_id: '2',
    });
    const review = github.bodies.review[0];
    expect(review).toMatchObject({ commit_id: HEAD_SHA, event: 'COMMENT' });
    expect(review.comments).toHaveLength(1);
    expect(review.comments[0]).toMatchObject({ path: 'app/tasks.py', line: 4, side: 'RIGHT' });
    expect(review.comments[0].body).toContain('https://cwe.mitre.org/data/definitions/78.html');
    expect(readState(review.comments[0].body, MARKER_KEY)).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      rule: 'subprocess-shell-true',
    });
    expect(contentOf(review.body)).toMatchSnapshot('review body');
    // The fingerprint is pinned by the engine's own tests; here only the rendering is.
    expect(contentOf(review.comments[0].body)).toMatchSnapshot('review comment');

    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      actions: [{ identifier: 'rescan', label: 'Rescan' }],
    });
    expect(completion.output.annotations).toEqual([
      expect.objectContaining({
        path: 'app/tasks.py',
        start_line: 4,
        end_line: 4,
        annotation_level: 'failure',
        raw_details: expect.stringMatching(/fingerprint: [0-9a-f]{24}/),
      }),
    ]);
    expect(completion.output.summary).toContain('1 changed file that is not Python');
    expect(completion.output.summary).toMatchSnapshot('check-run summary');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
