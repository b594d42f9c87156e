import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { scanSource } from '../../src/engine/index.js';
import { createBaseline, serializeBaseline } from '../../src/scan/baseline.js';
import {
  API,
  createTestApp,
  GitHubMock,
  OWNER,
  pullRequestPayload,
  REPO,
  TASKS,
  TEST_RULES,
  useNock,
} from './harness.js';

useNock();

const CONFIG = 'baseline: .warden-baseline.json\n';
const BASELINE_PATH = `/repos/${OWNER}/${REPO}/contents/.warden-baseline.json`;
/** What `warden scan --write-baseline` records for TASKS at app/tasks.py. */
const ACCEPTED = serializeBaseline(
  createBaseline(scanSource('app/tasks.py', TASKS, { rules: TEST_RULES }).findings, 'warden test'),
);

const committedBaseline = (status: number, body: string) =>
  nock(API).get(BASELINE_PATH).reply(status, body, { 'content-type': 'text/plain; charset=utf-8' });

describe('a committed baseline (`baseline:` in the config)', () => {
  test('hides the findings it accepts from the review, the annotations and the conclusion', async () => {
    expect(JSON.parse(ACCEPTED).findings).toHaveLength(1);
    const github = new GitHubMock().scanningOneFile('app/tasks.py', TASKS, CONFIG).publishingWithoutReview();
    committedBaseline(200, ACCEPTED);

    await createTestApp().receive(pullRequestPayload());

    const completion = github.bodies.updateCheckRun[0];
    expect(completion.conclusion).toBe('success');
    expect(completion.output.annotations).toEqual([]);
    expect(completion.output.summary).toContain('1 finding(s) hidden: the committed baseline accepts them');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('hides nothing, and says why, when the file is missing or broken', async () => {
    for (const [status, body, reason] of [
      [404, '{"message":"Not Found"}', 'the `baseline` file is not on the default branch'],
      [200, '{"version": 7}', 'baseline format version 7 is not supported'],
    ] as const) {
      const github = new GitHubMock().scanningOneFile('app/tasks.py', TASKS, CONFIG).publishingWithReview();
      committedBaseline(status, body);

      await createTestApp().receive(pullRequestPayload());

      const completion = github.bodies.updateCheckRun[0];
      expect(completion.conclusion).toBe('failure');
      expect(completion.output.summary).toContain(reason);
      expect(github.bodies.review[0].comments).toHaveLength(1);
      expect(nock.pendingMocks()).toEqual([]);
    }
  });
});
