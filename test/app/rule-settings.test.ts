import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  addedFilePatch,
  blob,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  pullRequestPayload,
  TASKS,
  useNock,
} from './harness.js';

useNock();

describe("a rule's exclude globs", () => {
  test('silence that rule on the matching paths only, in the review, the annotations and the conclusion', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('rules:\n  subprocess-shell-true: { exclude: ["scripts/**"] }\n')
      .files([
        { filename: 'scripts/release.py', patch: addedFilePatch(TASKS) },
        { filename: 'app/tasks.py', patch: addedFilePatch(TASKS) },
      ])
      .contents({ [`${HEAD_SHA}:scripts/release.py`]: blob(TASKS), [`${HEAD_SHA}:app/tasks.py`]: blob(TASKS) })
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const review = github.bodies.review[0];
    expect(review.comments.map((comment: { path: string }) => comment.path)).toEqual(['app/tasks.py']);
    const completion = github.bodies.updateCheckRun[0];
    expect(completion.conclusion).toBe('failure');
    expect(completion.output.annotations.map((annotation: { path: string }) => annotation.path)).toEqual([
      'app/tasks.py',
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('set on a category, apply to its rules', async () => {
    const github = new GitHubMock()
      .scanningOneFile('scripts/release.py', TASKS, 'rules:\n  injection: { exclude: ["scripts/**"] }\n')
      .publishingWithoutReview();

    await createTestApp().receive(pullRequestPayload());

    expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'success' });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
