import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  addedFilePatch,
  blob,
  createTestApp,
  GitHubMock,
  githubPatch,
  HEAD_SHA,
  type ListedFile,
  pullRequestPayload,
  useNock,
} from './harness.js';

useNock();

describe('API economy', () => {
  test('a 100-file pull request with 50 findings costs at most 10 GitHub calls, token included', async () => {
    // 50 files with one finding each and 50 clean ones; no config anywhere (the costliest read: repo, then org).
    const risky = (i: number) => `import subprocess\n\ndef job_${i}(cmd):\n    subprocess.run(cmd, shell=True)\n`;
    const clean = (i: number) => `def job_${i}():\n    return ${i}\n`;
    const texts = Array.from({ length: 100 }, (_, i) => (i < 50 ? risky(i) : clean(i)));
    const files: ListedFile[] = texts.map((text, i) => ({ filename: `jobs/job_${i}.py`, patch: addedFilePatch(text) }));
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files(files)
      .contents(Object.fromEntries(files.map((file, i) => [`${HEAD_SHA}:${file.filename}`, blob(texts[i])])))
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 100 }));

    expect(github.bodies.updateCheckRun[0].output.annotations).toHaveLength(50);
    expect(github.bodies.review[0].comments).toHaveLength(25);
    expect(nock.pendingMocks()).toEqual([]);
    expect(github.calls).toBeLessThanOrEqual(10);
  });

  test('comparing a 100-file pull request with its base adds no call: base versions come from the patches', async () => {
    // Every file is modified: one old finding moved down, and in half of them a new one added.
    const before = (i: number) => `import subprocess\n\ndef job_${i}(cmd):\n    subprocess.run(cmd, shell=True)\n`;
    const after = (i: number) =>
      `import subprocess\n\n# job ${i}\ndef job_${i}(cmd):\n    subprocess.run(cmd, shell=True)\n` +
      (i < 50 ? `    subprocess.call(cmd + " --force", shell=True)\n` : '');
    const files: ListedFile[] = Array.from({ length: 100 }, (_, i) => ({
      filename: `jobs/job_${i}.py`,
      status: 'modified',
      patch: githubPatch(before(i), after(i)),
    }));
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .files(files)
      .contents(Object.fromEntries(files.map((file, i) => [`${HEAD_SHA}:${file.filename}`, blob(after(i))])))
      .publishingWithReview();

    await createTestApp().receive(pullRequestPayload({ changedFiles: 100 }));

    const annotations = github.bodies.updateCheckRun[0].output.annotations;
    expect(annotations).toHaveLength(50);
    expect(annotations.every((annotation: { start_line: number }) => annotation.start_line === 6)).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    expect(github.calls).toBeLessThanOrEqual(10);
  });
});
