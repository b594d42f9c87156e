import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { createTestApp, GitHubMock, pullRequestPayload, TASKS, useNock } from './harness.js';

useNock();

describe('a config beyond the glob bounds', () => {
  test('gets a configuration error in the summary, and the scan runs with the default paths', async () => {
    const glob = `**/${'*a'.repeat(30)}*b`;
    const github = new GitHubMock()
      .scanningOneFile('app/tasks.py', TASKS, `paths:\n  include: ["${glob}"]\n`)
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload());

    const update = github.bodies.updateCheckRun[0];
    expect(update.conclusion).toBe('failure');
    expect(update.output.summary).toContain('Configuration errors');
    expect(update.output.summary).toContain('has 33 wildcards; at most 20 (using the default for `paths`)');
    expect(update.output.annotations).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
