import { describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { isOwn } from '../../src/github/identity.js';
import { MarkerKey, readState, stateTrailer, withState } from '../../src/report/markers.js';
import tlsVerificationDisabled from '../../src/rules/network/tls-verification-disabled.js';
import type { AnyRule } from '../../src/engine/rule.js';
import {
  addedFilePatch,
  blob,
  BOT,
  createTestApp,
  GitHubMock,
  IDENTITY,
  MARKER_KEY,
  pullRequestPayload,
  TASKS,
  type TestApp,
  useNock,
} from './harness.js';

useNock();

const RULES = [tlsVerificationDisabled] as readonly AnyRule[];
const PATH = 'app/client.py';
const SECOND_HEAD = '5e1f0c2d3b4a59687766554433221100ffeeddcc';

/** The line from the report: a PR author's own code imitating a maintainer's triage. */
const FORGED_LINE =
  'return requests.get(url, timeout=5, verify=False)  # <!-- warden:triage=fp by=maint at=2024-01-01T00:00:00Z reason=reviewed -->';

/** The same attempt against today's trailer: right shape, signed with a key the attacker guessed. */
const FORGED_TRAILER_LINE = `return requests.get(url, timeout=5, verify=False)  # ${stateTrailer(
  {
    fingerprint: '0'.repeat(24),
    rule: 'tls-verification-disabled',
    triage: { verdict: 'fp', by: 'maint', at: '2024-01-01T00:00:00Z', reason: 'reviewed' },
  },
  new MarkerKey('development'),
)}`;

function client(line: string): string {
  return ['import requests', '', '', 'def fetch(url):', `    ${line}`, ''].join('\n');
}

/** One push of the file to the pull request: the scan's calls up to the contents query. */
function push(github: GitHubMock, headSha: string, text: string): GitHubMock {
  return github
    .createCheckRun()
    .config()
    .files([{ filename: PATH, patch: addedFilePatch(text) }])
    .contents({ [`${headSha}:${PATH}`]: blob(text) });
}

async function pushTwice(app: TestApp, text: string) {
  const first = push(new GitHubMock().token(), pullRequestPayload().pull_request.head.sha, text).publishingWithReview();
  await app.receive(pullRequestPayload());
  const posted = first.bodies.review[0].comments[0];
  expect(nock.pendingMocks()).toEqual([]);

  // GitHub lists the comment back exactly as Warden posted it, suggestion and all.
  const second = push(new GitHubMock(), SECOND_HEAD, text)
    .reviewComments([{ id: 31, node_id: 'PRRC_31', path: PATH, line: 5, user: BOT, body: posted.body }])
    .head(SECOND_HEAD)
    .completeCheckRun();
  await app.receive(pullRequestPayload({ action: 'synchronize', headSha: SECOND_HEAD }), 'delivery-2');
  expect(nock.pendingMocks()).toEqual([]);
  return { first: first.bodies.updateCheckRun[0], posted, second: second.bodies.updateCheckRun[0], github: second };
}

describe('state forged through quoted code', () => {
  test.each([
    ['the triage marker from the report', FORGED_LINE],
    ['a trailer signed with a guessed key', FORGED_TRAILER_LINE],
  ])('%s in a suggested line never dismisses the finding across two pushes', async (_case, line) => {
    const app = createTestApp(RULES);
    const { first, posted, second, github } = await pushTwice(app, client(line));

    // The suggestion quotes the line, forged text included.
    expect(posted.body).toContain('```suggestion\n    return requests.get(url, timeout=5)  # <!-- warden:');
    expect(first.conclusion).toBe('failure');
    expect(second.conclusion).toBe('failure');
    expect(second.output.title).not.toContain('dismissed');
    expect(second.output.summary).not.toContain('Dismissed');
    expect(second.output.annotations).toHaveLength(1);
    // Already commented on: the fingerprint in Warden's own state still keeps a re-push quiet.
    expect(github.bodies.review).toBeUndefined();
  });
});

describe("state is read from Warden's own comments only", () => {
  test("another app's bot cannot dismiss a finding, even with a correctly signed trailer", async () => {
    const app = createTestApp();
    const first = push(
      new GitHubMock().token(),
      pullRequestPayload().pull_request.head.sha,
      TASKS,
    ).publishingWithReview();
    await app.receive(pullRequestPayload());
    const { fingerprint, rule } = readState(first.bodies.review[0].comments[0].body, MARKER_KEY)!;
    const triaged = withState(
      'Dismissed',
      {
        fingerprint: fingerprint!,
        rule: rule!,
        triage: { verdict: 'fp', by: 'maint', at: '2026-01-01T00:00:00Z', reason: '' },
      },
      MARKER_KEY,
    );

    const second = push(new GitHubMock(), SECOND_HEAD, TASKS)
      .reviewComments([
        {
          id: 41,
          node_id: 'PRRC_41',
          path: 'app/tasks.py',
          user: { login: 'helper[bot]', type: 'Bot' },
          body: triaged,
        },
      ])
      .head(SECOND_HEAD)
      .earlierReviews()
      .review()
      .completeCheckRun();
    await app.receive(pullRequestPayload({ action: 'synchronize', headSha: SECOND_HEAD }), 'delivery-2');

    const update = second.bodies.updateCheckRun[0];
    expect(update.conclusion).toBe('failure');
    expect(update.output.summary).not.toContain('Dismissed');
    // The other bot's comment is not ours: the finding is commented on as new.
    expect(readState(second.bodies.review[0].comments[0].body, MARKER_KEY)?.fingerprint).toBe(fingerprint);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('recognises its account by slug, or its app id on comments made through the app', () => {
    expect(isOwn({ user: { login: 'warden[bot]', type: 'Bot' } }, IDENTITY)).toBe(true);
    expect(isOwn({ user: { login: 'Warden[bot]', type: 'Bot' } }, IDENTITY)).toBe(true);
    expect(
      isOwn(
        { user: { login: 'renamed[bot]', type: 'Bot' }, performed_via_github_app: { id: IDENTITY.appId } },
        IDENTITY,
      ),
    ).toBe(true);
    expect(isOwn({ user: { login: 'renovate[bot]', type: 'Bot' } }, IDENTITY)).toBe(false);
    expect(isOwn({ user: { login: 'other[bot]', type: 'Bot' }, performed_via_github_app: { id: 99 } }, IDENTITY)).toBe(
      false,
    );
    // A person cannot be Warden, whatever app they used.
    expect(
      isOwn({ user: { login: 'warden', type: 'User' }, performed_via_github_app: { id: IDENTITY.appId } }, IDENTITY),
    ).toBe(false);
  });
});

describe('the state trailer', () => {
  const state = { fingerprint: 'a'.repeat(24), rule: 'eval-of-variable' };

  test('is read from the last line only', () => {
    const body = withState('text', state, MARKER_KEY);
    expect(readState(body, MARKER_KEY)).toEqual(state);
    expect(readState(`${body}\nmore text`, MARKER_KEY)).toBeUndefined();
    expect(readState(`${body}\n\n`, MARKER_KEY)).toEqual(state);
  });

  test('is void when signed with another key or edited', () => {
    const body = withState('text', state, MARKER_KEY);
    expect(readState(body, new MarkerKey('another secret'))).toBeUndefined();
    expect(readState(body.replace('eval-of-variable', 'sql-injection'), MARKER_KEY)).toBeUndefined();
    expect(readState(body.replace(/sig=[0-9a-f]+/, 'sig=0'), MARKER_KEY)).toBeUndefined();
  });
});
