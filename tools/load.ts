/**
 * `npm run load`: a burst of signed `pull_request` deliveries (200 pull requests × opened + 4
 * pushes) against the built app and the local GitHub simulator, in one process with the
 * in-process queue and as web and worker replicas sharing Redis. Reports acknowledgement
 * latency, time to the last check run, peak RSS and GitHub calls per scan, and checks that no
 * scan was lost or doubled. Writes docs/LOAD.md; exits non-zero when a check fails or the test
 * cannot run.
 */
import { Command, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, generateAppCredentials, type AppCredentials } from '../dev/app-process.js';
import { ROOT } from '../dev/fixtures.js';
import {
  GitHubSimulator,
  type Delivery,
  type PullRequestState,
  type RepositoryState,
} from '../dev/github-sim/index.js';
import { SCAN_QUIET_MS } from '../dev/scan-watch.js';
import { CHECK_RUN_NAME } from '../src/github/check-runs.js';
import { auditPullRequests } from './load/audit.js';
import { MarkerKey } from '../src/report/markers.js';
import { PrivateRedis } from './load/redis-server.js';
import {
  passed,
  renderLoadReport,
  type LoadMode,
  type ModeResult,
  type ProcessMemory,
  type Workload,
} from './load/report.js';

const COMMAND = 'npm run load';

interface LoadOptions extends Workload {
  modes: LoadMode[];
  output: string;
  timeoutMs: number;
  /** The app's LOG_LEVEL; its log's tail is printed when a check fails. */
  appLogLevel: string;
}

interface LoadPullRequest {
  repo: RepositoryState;
  index: number;
  pull?: PullRequestState;
}

interface RunningApp {
  name: string;
  app: AppProcess;
}

/** The module with the finding: a shell command built by concatenation. */
function findingModule(index: number): string {
  return [
    'import subprocess',
    '',
    '',
    `def archive_${index}(name):`,
    '    return subprocess.run("tar czf backup.tgz " + name, shell=True)',
    '',
  ].join('\n');
}

/** A clean module that every push changes, so each head has a new diff to scan. */
function helperModule(index: number, revision: number): string {
  return [`REVISION = ${revision}`, '', '', `def label_${index}(value):`, '    return f"{value}-{REVISION}"', ''].join(
    '\n',
  );
}

async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
}

/**
 * Sends every delivery with at most `inFlight` unanswered. Each pull request's commits land in
 * order. By default the burst goes push by push across the pull requests and one pull request's
 * deliveries wait for each other's answers; with `overlap` a pull request's pushes follow each
 * other at once and its deliveries are in flight together, as GitHub sends them, so the app may
 * see them out of order.
 */
async function sendBurst(
  sim: GitHubSimulator,
  pulls: LoadPullRequest[],
  deliveriesPerPull: number,
  inFlight: number,
  overlap: boolean,
): Promise<Delivery[]> {
  const pushes = Array.from({ length: deliveriesPerPull }, (_, push) => push);
  const steps = overlap
    ? pulls.flatMap((target) => pushes.map((push) => ({ target, push })))
    : pushes.flatMap((push) => pulls.map((target) => ({ target, push })));
  const previous = new Map<LoadPullRequest, Promise<unknown>>();
  const deliveries: Delivery[] = [];
  const send = ({ target, push }: { target: LoadPullRequest; push: number }): Promise<void> => {
    const helper = { 'pkg/helpers.py': helperModule(target.index, push) };
    const keep = ({ delivery }: { delivery: Delivery | undefined }) => void (delivery && deliveries.push(delivery));
    if (push === 0) {
      const branch = `change-${target.index}`;
      const opening = sim.openPullRequest(target.repo, {
        branch,
        title: `Change ${target.index}`,
        author: 'dev',
        files: { 'pkg/jobs.py': findingModule(target.index), ...helper },
      });
      target.pull = [...target.repo.pulls.values()].find((pull) => pull.headRef === branch);
      return opening.then(keep);
    }
    return sim.pushToPullRequest(target.repo, target.pull!, `Revision ${push}`, helper).then(keep);
  };
  await forEachBounded(steps, inFlight, async (step) => {
    const before = previous.get(step.target) ?? Promise.resolve();
    // The simulator commits before it delivers, so once `send` was called the next push may follow.
    const started = before.then(() => ({ answered: send(step) }));
    previous.set(step.target, overlap ? started : started.then(({ answered }) => answered));
    await (
      await started
    ).answered;
  });
  return deliveries;
}

function peakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `warden_scans_total` by outcome from one process's /metrics. */
async function scansByOutcome(app: AppProcess): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  try {
    const text = await (await fetch(app.metricsUrl, { signal: AbortSignal.timeout(5000) })).text();
    for (const match of text.matchAll(/^warden_scans_total\{outcome="([a-z-]+)"\} (\d+)$/gm))
      counts.set(match[1], Number(match[2]));
  } catch {
    // A process that cannot answer contributes nothing; the audit still says what happened.
  }
  return counts;
}

async function startApps(
  mode: LoadMode,
  credentials: AppCredentials,
  sim: GitHubSimulator,
  options: LoadOptions,
  redisUrl: string | undefined,
): Promise<RunningApp[]> {
  const env = { WARDEN_GITHUB_THROTTLE: 'off', WARDEN_CONCURRENCY: String(options.concurrency) };
  const start = (role: string, extra: Record<string, string> = {}) =>
    AppProcess.start({
      credentials,
      gheHost: sim.host,
      cwd: ROOT,
      logLevel: options.appLogLevel,
      env: { ...env, WARDEN_ROLE: role, ...extra },
    });
  const apps: RunningApp[] = [];
  try {
    if (mode === 'in-process') {
      apps.push({ name: 'app', app: await start('all') });
    } else {
      apps.push({ name: 'web', app: await start('web', { REDIS_URL: redisUrl! }) });
      for (let worker = 1; worker <= options.workers; worker += 1)
        apps.push({ name: `worker ${worker}`, app: await start('worker', { REDIS_URL: redisUrl! }) });
    }
  } catch (error) {
    await Promise.all(apps.map(({ app }) => app.stop()));
    throw error;
  }
  return apps;
}

async function runMode(mode: LoadMode, options: LoadOptions): Promise<ModeResult> {
  const credentials = generateAppCredentials();
  const simLog: string[] = [];
  const sim = await GitHubSimulator.start({
    appId: credentials.appId,
    appKey: credentials.privateKey,
    webhookSecret: credentials.webhookSecret,
    log: (line) => simLog.push(line),
  });
  let redis: PrivateRedis | undefined;
  let apps: RunningApp[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(apps.map(({ app }) => app.stop()));
    await redis?.stop();
    await sim.close();
  };
  stopOnInterrupt = stopAll;
  try {
    if (mode === 'redis') redis = await PrivateRedis.start();
    apps = await startApps(mode, credentials, sim, options, redis?.url);
    sim.webhookUrl = apps[0].app.webhookUrl;

    const pulls: LoadPullRequest[] = [];
    const repos = Array.from({ length: options.repositories }, (_, index) =>
      sim.createRepository(
        'load-org',
        `service-${index + 1}`,
        { 'README.md': '# service\n', 'pkg/__init__.py': '' },
        { installationId: index + 1 },
      ),
    );
    for (let index = 0; index < options.pullRequests; index += 1)
      pulls.push({ repo: repos[index % repos.length], index });

    const callsBefore = sim.calls.length;
    const startedAt = Date.now();
    progress(`${mode}: sending ${options.pullRequests * options.deliveriesPerPullRequest} deliveries`);
    const deliveries = await sendBurst(sim, pulls, options.deliveriesPerPullRequest, options.inFlight, options.overlap);
    const burstMs = Date.now() - startedAt;
    progress(`${mode}: all deliveries answered after ${(burstMs / 1000).toFixed(1)} s; waiting for the check runs`);

    const latestHead = (target: LoadPullRequest) => sim.headCommit(target.repo, target.pull!).sha;
    const finished = () =>
      pulls.every((target) =>
        sim
          .checkRuns(target.repo, latestHead(target))
          .some((run) => run.name === CHECK_RUN_NAME && run.status === 'completed'),
      );
    let lastCheckRunMs: number | undefined;
    try {
      await sim.waitFor('a completed check run on every latest head', finished, options.timeoutMs);
      lastCheckRunMs = Date.now() - startedAt;
    } catch (error) {
      progress(`${mode}: ${(error as Error).message.split('\n')[0]}`);
    }
    // Late or doubled work shows up after the last run completed: wait until the app is idle.
    await sim
      .waitForQuiet(SCAN_QUIET_MS, options.timeoutMs)
      .catch((error: Error) => progress(`${mode}: ${error.message}`));

    const memory: ProcessMemory[] = apps.map(({ name, app }) => ({ name, peakRssBytes: peakRss(app.pid) }));
    const scans = new Map<string, number>();
    for (const { app } of apps)
      for (const [outcome, count] of await scansByOutcome(app)) scans.set(outcome, (scans.get(outcome) ?? 0) + count);

    const audit = auditPullRequests(
      pulls.map((target) => ({
        label: `${target.repo.store.owner}/${target.repo.store.name}#${target.pull!.number}`,
        latestHead: latestHead(target),
        checkRuns: sim.checkRuns(target.repo),
        reviewCommentBodies: sim
          .reviewComments(target.repo, target.pull!)
          .filter((comment) => comment.user.login === sim.bot.login)
          .map((comment) => comment.body),
      })),
      CHECK_RUN_NAME,
      new MarkerKey(credentials.webhookSecret),
    );
    const result: ModeResult = {
      mode,
      topology:
        mode === 'in-process'
          ? '1 (`WARDEN_ROLE=all`, in-process queue)'
          : `1 web + ${options.workers} workers (BullMQ on Redis)`,
      deliveries: deliveries.length,
      refusedDeliveries: deliveries
        .filter((delivery) => delivery.status < 200 || delivery.status >= 300)
        .map(
          (delivery) =>
            `delivery ${delivery.id} (${delivery.action}) answered ${delivery.status}: ${delivery.response.slice(0, 120)}`,
        ),
      acknowledgementMs: deliveries.map((delivery) => delivery.durationMs),
      burstMs,
      lastCheckRunMs,
      memory,
      githubCalls: sim.calls.length - callsBefore,
      checkRunsCreated: repos.reduce(
        (sum, repo) => sum + sim.checkRuns(repo).filter((run) => run.name === CHECK_RUN_NAME).length,
        0,
      ),
      scansByOutcome: scans,
      audit,
    };
    if (!passed(result)) {
      for (const { name, app } of apps) {
        const path = join(tmpdir(), `warden-load-${mode}-${name.replace(/\s+/g, '-')}.log`);
        writeFileSync(path, app.log());
        progress(`${mode}: the ${name} process's log (its last 200 KB) is in ${path}`);
      }
      if (sim.rejections.length > 0)
        process.stderr.write(`--- simulator rejections ---\n${simLog.slice(-30).join('\n')}\n`);
    }
    return result;
  } finally {
    stopOnInterrupt = undefined;
    await stopAll();
  }
}

/** The app processes run in their own process groups and outlive an interrupted load test unless stopped. */
let stopOnInterrupt: (() => Promise<void>) | undefined;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the app and the simulator`);
    void (stopOnInterrupt?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

function progress(line: string): void {
  process.stderr.write(`load: ${line}\n`);
}

function parseOptions(argv: string[]): LoadOptions {
  const integer = (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`expected a positive integer, got "${value}"`);
    return parsed;
  };
  const program = new Command()
    .name(COMMAND)
    .description('A burst of signed webhook deliveries against the app and the local GitHub simulator')
    .addOption(
      new Option('--mode <mode>', 'which queue to load').choices(['in-process', 'redis', 'both']).default('both'),
    )
    .option('--pull-requests <n>', 'pull requests to open', integer, 200)
    .option('--pushes <n>', 'pushes to each pull request after it opened', integer, 4)
    .option('--repositories <n>', 'repositories (one installation each) the pull requests are spread over', integer, 20)
    .option('--in-flight <n>', 'deliveries sent at once', integer, 50)
    .option('--concurrency <n>', 'WARDEN_CONCURRENCY of each scanning process', integer, 2)
    .option('--workers <n>', 'worker processes in the Redis mode', integer, 2)
    .option(
      '--no-overlap',
      "wait for the answer to a pull request's delivery before sending its next one (by default they are in flight together and may arrive out of order, as GitHub sends them)",
    )
    .option('--timeout <seconds>', 'how long to wait for the last check run', integer, 300)
    .option('--app-log-level <level>', "the app's LOG_LEVEL (its log's tail is printed when a check fails)", 'warn')
    .option('--output <path>', 'where the Markdown report goes', join(ROOT, 'docs', 'LOAD.md'))
    .exitOverride()
    .parse(argv, { from: 'user' });
  const opts = program.opts<{
    mode: string;
    pullRequests: number;
    pushes: number;
    repositories: number;
    inFlight: number;
    concurrency: number;
    workers: number;
    timeout: number;
    output: string;
    overlap: boolean;
    appLogLevel: string;
  }>();
  return {
    modes: opts.mode === 'both' ? ['in-process', 'redis'] : [opts.mode as LoadMode],
    pullRequests: opts.pullRequests,
    repositories: Math.min(opts.repositories, opts.pullRequests),
    deliveriesPerPullRequest: opts.pushes + 1,
    inFlight: opts.inFlight,
    concurrency: opts.concurrency,
    workers: opts.workers,
    timeoutMs: opts.timeout * 1000,
    output: opts.output,
    overlap: opts.overlap,
    appLogLevel: opts.appLogLevel,
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const results: ModeResult[] = [];
  for (const mode of options.modes) results.push(await runMode(mode, options));
  const machine = {
    date: new Date().toISOString().slice(0, 10),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    node: process.version,
  };
  const report = renderLoadReport(results, options, machine, COMMAND);
  process.stdout.write(report);
  writeFileSync(options.output, report);
  progress(`wrote ${options.output}`);
  return results.every(passed) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if ((error as { code?: string }).code?.startsWith('commander.')) {
    process.exitCode = (error as { exitCode?: number }).exitCode ?? 2;
  } else {
    progress(`cannot run: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
