import { afterAll, describe, expect, test } from '@jest/globals';
import { AppProcess, generateAppCredentials } from '../../dev/app-process.js';
import { GitHubSimulator, type PullRequestState, type RepositoryState } from '../../dev/github-sim/index.js';
import { CHECK_RUN_NAME } from '../../src/github/check-runs.js';
import { MarkerKey } from '../../src/report/markers.js';
import { auditPullRequests } from '../../tools/load/audit.js';
import { PrivateRedis } from '../../tools/load/redis-server.js';
import { ensureBuiltApp, ROOT } from './harness.js';

const PULL_REQUESTS = 6;
const TIMEOUT_MS = 120_000;

const module = (revision: number) =>
  `import subprocess\n\n\ndef archive(name):\n    return subprocess.run("tar czf b.tgz " + name, shell=True)\n\n\nREVISION = ${revision}\n`;

let stopAll: () => Promise<void> = () => Promise.resolve();
afterAll(() => stopAll(), 60_000);

describe('Redis stopped while pushes arrive', () => {
  test('every refused delivery is redelivered once Redis is back, and each newest head gets exactly one completed run', async () => {
    ensureBuiltApp();
    const credentials = generateAppCredentials();
    const sim = await GitHubSimulator.start({
      appId: credentials.appId,
      appKey: credentials.privateKey,
      webhookSecret: credentials.webhookSecret,
      log: () => undefined,
    });
    let redis = await PrivateRedis.start();
    const apps: AppProcess[] = [];
    stopAll = async () => {
      await Promise.all(apps.map((app) => app.stop()));
      await redis.stop();
      await sim.close();
    };
    const env = {
      WARDEN_GITHUB_THROTTLE: 'off',
      REDIS_URL: redis.url,
      WARDEN_REDELIVERY_INTERVAL_SECONDS: '3',
    };
    const start = (role: string) =>
      AppProcess.start({
        credentials,
        gheHost: sim.host,
        cwd: ROOT,
        logLevel: 'warn',
        env: { ...env, WARDEN_ROLE: role },
      });
    apps.push(await start('web'), await start('worker'));
    sim.webhookUrl = apps[0].webhookUrl;

    const repo: RepositoryState = sim.createRepository('outage-org', 'service', { 'README.md': '# s\n' });
    const pulls: PullRequestState[] = [];
    for (let index = 0; index < PULL_REQUESTS; index++) {
      const { pull } = await sim.openPullRequest(repo, {
        branch: `change-${index}`,
        title: `Change ${index}`,
        author: 'dev',
        files: { [`pkg/jobs_${index}.py`]: module(0) },
      });
      pulls.push(pull);
    }
    const headsScanned = () =>
      pulls.every((pull) =>
        sim
          .checkRuns(repo, sim.headCommit(repo, pull).sha)
          .some((run) => run.name === CHECK_RUN_NAME && run.status === 'completed'),
      );
    // Redis runs without persistence here: what it holds when stopped is gone, so the first scans finish first.
    await sim.waitFor('the first scans', headsScanned, TIMEOUT_MS);

    await redis.stop();
    const refused: string[] = [];
    for (const [index, pull] of pulls.entries()) {
      const { delivery } = await sim.pushToPullRequest(repo, pull, 'Revision 1', {
        [`pkg/jobs_${index}.py`]: module(1),
      });
      if (delivery && delivery.status !== 200) refused.push(delivery.id);
    }
    redis = await PrivateRedis.start(10_000, redis.port);

    await sim.waitFor('a completed run on every newest head', headsScanned, TIMEOUT_MS);
    await sim.waitForQuiet(2_000, TIMEOUT_MS);

    // The outage refused the pushes (503), and each refused delivery was sent again once, and taken.
    expect(refused).toHaveLength(PULL_REQUESTS);
    for (const guid of refused) {
      const attempts = sim.deliveries.filter((delivery) => delivery.id === guid);
      expect(attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    }
    const audit = auditPullRequests(
      pulls.map((pull) => ({
        label: `#${pull.number}`,
        latestHead: sim.headCommit(repo, pull).sha,
        checkRuns: sim.checkRuns(repo),
        reviewCommentBodies: sim
          .reviewComments(repo, pull)
          .filter((comment) => comment.user.login === sim.bot.login)
          .map((comment) => comment.body),
      })),
      CHECK_RUN_NAME,
      new MarkerKey(credentials.webhookSecret),
    );
    expect(audit.lost).toEqual([]);
    expect(audit.doubled).toEqual([]);
  }, 300_000);
});
