import { describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { retryRateLimitedWrites } from '../../src/github/rate-limits.js';

const limited = [403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '3' }] as const;

function client(waits: number[]) {
  const quiet = () => undefined;
  const octokit = new Octokit({
    request: { retries: 0 },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  retryRateLimitedWrites(octokit as never, { sleep: (ms) => Promise.resolve(void waits.push(ms)) });
  return octokit;
}

describe('retryRateLimitedWrites', () => {
  it('sends a rate-limited write again after retry-after, a bounded number of times', async () => {
    nock.disableNetConnect();
    const api = nock('https://api.github.com');
    api.post('/repos/acme/api/issues/1/comments').reply(...limited);
    api.post('/repos/acme/api/issues/1/comments').reply(201, { id: 7 });
    api
      .post('/repos/acme/api/issues/2/comments')
      .times(3)
      .reply(...limited);
    const waits: number[] = [];
    const octokit = client(waits);

    const { data } = await octokit.rest.issues.createComment({
      owner: 'acme',
      repo: 'api',
      issue_number: 1,
      body: 'x',
    });
    expect(data).toEqual({ id: 7 });
    expect(waits).toEqual([3000]);
    await expect(
      octokit.rest.issues.createComment({ owner: 'acme', repo: 'api', issue_number: 2, body: 'x' }),
    ).rejects.toMatchObject({ status: 403 });
    expect(waits).toEqual([3000, 3000, 3000]);
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('leaves reads, GraphQL queries included, and long waits to the caller', async () => {
    nock.disableNetConnect();
    const api = nock('https://api.github.com');
    api.get('/repos/acme/api').reply(...limited);
    api.post('/graphql').reply(...limited);
    api.post('/repos/acme/api/issues/3/comments').reply(403, limited[1], { 'retry-after': '3600' });
    const waits: number[] = [];
    const octokit = client(waits);
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 403 });
    await expect(octokit.graphql('query { viewer { login } }')).rejects.toMatchObject({});
    await expect(
      octokit.rest.issues.createComment({ owner: 'acme', repo: 'api', issue_number: 3, body: 'x' }),
    ).rejects.toMatchObject({ status: 403 });
    expect(waits).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
    nock.enableNetConnect();
  });
});
