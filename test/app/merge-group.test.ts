import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import {
  addedFilePatch,
  BASE_SHA,
  blob,
  checkRunPayload,
  createTestApp,
  GitHubMock,
  MERGE_GROUP_REF,
  MERGE_GROUP_SHA,
  mergeGroupPayload,
  OWNER,
  REPO,
  TASKS,
  useNock,
} from './harness.js';

useNock();

describe('a merge queue group', () => {
  test('gets a completed Warden check run on its commit, from its changes against the base, and no review', async () => {
    const github = new GitHubMock()
      .token()
      .createCheckRun()
      .config()
      .comparedFiles(MERGE_GROUP_SHA, [
        { filename: 'app/tasks.py', patch: addedFilePatch(TASKS) },
        { filename: 'docs/notes.md', patch: '@@ -0,0 +1 @@\n+notes' },
      ])
      .contents({ [`${MERGE_GROUP_SHA}:app/tasks.py`]: blob(TASKS) })
      .completeCheckRun();
    const app = createTestApp();

    await app.deliver('merge_group', mergeGroupPayload(), 'delivery-merge-group');

    expect(github.bodies.createCheckRun[0]).toMatchObject({
      name: 'Warden',
      head_sha: MERGE_GROUP_SHA,
      status: 'in_progress',
      external_id: MERGE_GROUP_REF,
    });
    const completion = github.bodies.updateCheckRun[0];
    expect(completion).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(completion.output.annotations).toEqual([
      expect.objectContaining({ path: 'app/tasks.py', start_line: 4, annotation_level: 'failure' }),
    ]);
    // No pull request is read (no files list, no head check, no review comments) and nothing is posted on one.
    expect(github.bodies.review).toBeUndefined();
    expect(app.logs.find((entry) => entry.msg === 'scan requested')).toMatchObject({
      mergeGroup: MERGE_GROUP_REF,
      sha: MERGE_GROUP_SHA,
      outcome: 'queued',
    });
    expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('a clean group passes, and groups queued together each get their own run', async () => {
    const clean = 'def archive(name):\n    return name\n';
    const secondSha = 'a'.repeat(40);
    const github = new GitHubMock().token();
    for (const sha of [MERGE_GROUP_SHA, secondSha]) {
      github
        .createCheckRun()
        .config()
        .comparedFiles(sha, [{ filename: 'app/tasks.py', patch: addedFilePatch(clean) }])
        .contents({ [`${sha}:app/tasks.py`]: blob(clean) })
        .completeCheckRun();
    }
    const app = createTestApp();
    const second = mergeGroupPayload();
    second.merge_group.head_sha = secondSha;
    second.merge_group.head_ref = `${MERGE_GROUP_REF}-next`;

    // The second group arrives while the first is queued: neither replaces the other.
    const event = { name: 'merge_group', id: 'delivery-1', payload: mergeGroupPayload() };
    await app.probot.receive(event as unknown as Parameters<typeof app.probot.receive>[0]);
    await app.deliver('merge_group', second, 'delivery-2');

    const requested = app.logs.filter((entry) => entry.msg === 'scan requested');
    expect(requested.map((entry) => entry.outcome)).toEqual(['queued', 'queued']);
    expect(github.bodies.createCheckRun.map((body) => body.head_sha)).toEqual([MERGE_GROUP_SHA, secondSha]);
    expect(github.bodies.updateCheckRun.map((body) => body.conclusion)).toEqual(['success', 'success']);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test.each(['rerequested', 'requested_action'] as const)(
    "check_run.%s on a group's run scans the group again, onto the base its commit was built on",
    async (action) => {
      const payload = checkRunPayload(action);
      payload.check_run = { ...payload.check_run, external_id: MERGE_GROUP_REF, head_sha: MERGE_GROUP_SHA };
      const github = new GitHubMock().token();
      github.scope
        .get(`/repos/${OWNER}/${REPO}/commits/${MERGE_GROUP_SHA}`)
        .reply(200, { sha: MERGE_GROUP_SHA, parents: [{ sha: BASE_SHA }, { sha: 'b'.repeat(40) }] });
      github
        .createCheckRun()
        .config()
        .comparedFiles(MERGE_GROUP_SHA, [{ filename: 'app/tasks.py', patch: addedFilePatch(TASKS) }])
        .contents({ [`${MERGE_GROUP_SHA}:app/tasks.py`]: blob(TASKS) })
        .completeCheckRun();
      const app = createTestApp();

      await app.deliver('check_run', payload);

      expect(app.enqueued).toEqual([
        expect.objectContaining({
          headSha: MERGE_GROUP_SHA,
          baseSha: BASE_SHA,
          force: true,
          mergeGroup: { headRef: MERGE_GROUP_REF, baseRef: 'refs/heads/main' },
        }),
      ]);
      expect(github.bodies.createCheckRun[0]).toMatchObject({
        head_sha: MERGE_GROUP_SHA,
        external_id: MERGE_GROUP_REF,
      });
      expect(github.bodies.updateCheckRun[0]).toMatchObject({ conclusion: 'failure' });
      expect(app.logs.filter((entry) => entry.level >= 40)).toEqual([]);
      expect(nock.pendingMocks()).toEqual([]);
    },
  );
});
