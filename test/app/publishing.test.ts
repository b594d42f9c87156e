import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  addedFilePatch,
  blob,
  createTestApp,
  GitHubMock,
  HEAD_SHA,
  type ListedFile,
  pullRequestPayload,
  useNock,
} from './harness.js';

useNock();

function shellCalls(count: number): string {
  return [
    'import subprocess',
    '',
    'def run_all(cmds):',
    ...Array.from({ length: count }, (_, i) => `    subprocess.run(cmds[${i}], shell=True)`),
    '',
  ].join('\n');
}

describe('publishing', () => {
  test('drops the results of a superseded commit and completes the check run as neutral', async () => {
    const text = shellCalls(1);
    const newer = 'b'.repeat(40);
    const github = new GitHubMock().scanningOneFile('run.py', text).reviewComments().head(newer).completeCheckRun();

    await createTestApp().receive(pullRequestPayload({ action: 'synchronize' }));

    expect(github.bodies.review).toBeUndefined();
    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 'Superseded by bbbbbbb', annotations: [] },
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('reads every page of a pull request with more than 100 files and sends annotations 50 at a time', async () => {
    // 120 Python files: pages of 100 and 20; one of them holds 60 findings.
    const busy = shellCalls(60);
    const quiet = 'print("hello")\n';
    const files: ListedFile[] = Array.from({ length: 120 }, (_, i) => ({
      filename: `pkg/m${String(i).padStart(3, '0')}.py`,
      patch: addedFilePatch(i === 0 ? busy : quiet),
    }));
    const contents = Object.fromEntries(
      files.map((file, i) => [`${HEAD_SHA}:${file.filename}`, blob(i === 0 ? busy : quiet)]),
    );
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config('comments:\n  max_comments: 5\n')
      .files(files)
      .contents(contents)
      .contents(contents)
      .reviewComments()
      .head()
      .review()
      .completeCheckRun()
      .completeCheckRun();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 120 }));

    const queried = github.bodies.graphql.flatMap((body) =>
      Object.keys(body.variables).filter((name) => /^e\d+$/.test(name)),
    );
    expect(queried).toHaveLength(120);
    const [completion, appended] = github.bodies.updateCheckRun;
    expect(completion).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(completion.output.annotations).toHaveLength(50);
    expect(appended.status).toBeUndefined();
    expect(appended.output.annotations).toHaveLength(10);
    expect(completion.output.summary).toContain('Scanned 120 Python files');
    expect(completion.output.summary).toContain('…and 10 more (every finding is an annotation).');
    expect(github.bodies.review[0].comments).toHaveLength(5);
    const reviewBody: string = github.bodies.review[0].body;
    expect(reviewBody.match(/over the 5-comment limit/g)).toHaveLength(55);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
