import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { createNodeMiddleware, createProbot, ProbotOctokit, run } from 'probot';
import { WardenMetrics } from '../ops/metrics.js';
import { BullMqScanQueue } from '../queue/bullmq.js';
import { InProcessScanQueue } from '../queue/in-process.js';
import type { QueueObserver, ScanQueue } from '../queue/types.js';
import { createScanProcessor } from '../scan/worker.js';
import { createWardenApp } from './index.js';
import { sharedEnginePool } from '../scan/engine-pool.js';

/** `web` receives webhooks and enqueues; `worker` scans; `all` does both in one process. */
export type WardenRole = 'all' | 'web' | 'worker';

export interface RunningWarden {
  server: Server;
  queue: ScanQueue;
  /** Stops taking webhooks, drains the scans in flight, and closes the server. */
  stop(): Promise<void>;
}

type Env = NodeJS.ProcessEnv;

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

function logObserver(log: Logger): QueueObserver {
  const fields = (job: Parameters<NonNullable<QueueObserver['started']>>[0]) => ({
    deliveryId: job.deliveryId,
    repo: `${job.repo.owner}/${job.repo.repo}`,
    pr: job.pullNumber,
    sha: job.headSha,
  });
  return {
    started: (job, waitMs) => log.info({ ...fields(job), waitMs }, 'scan started'),
    finished: (job, outcome, durationMs, error) => {
      const line = { ...fields(job), outcome, durationMs, ...(error ? { err: error } : {}) };
      if (outcome === 'failed') log.error(line, 'scan failed');
      else log.info(line, 'scan finished');
    },
  };
}

function createQueue(env: Env, metrics: WardenMetrics, log: Logger): ScanQueue {
  const concurrency = positiveInt(env.WARDEN_CONCURRENCY, 2);
  const observer = metrics.queueObserver(logObserver(log));
  if (env.REDIS_URL) return new BullMqScanQueue({ url: env.REDIS_URL, concurrency, observer });
  return new InProcessScanQueue({
    concurrency,
    perInstallation: positiveInt(env.WARDEN_PER_INSTALLATION, Math.max(1, concurrency - 1)),
    observer,
  });
}

/**
 * Starts Warden in one role. The webhook endpoint answers as soon as the event is queued;
 * `/healthz` says the process is up, `/readyz` that it can take work, `/metrics` serves Prometheus.
 */
export async function startWarden(role: WardenRole, env: Env = process.env): Promise<RunningWarden> {
  if (role !== 'all' && !env.REDIS_URL) {
    throw new Error(
      `\`warden ${role}\` needs REDIS_URL: web and worker replicas share a Redis queue (without Redis, \`npm start\` runs both roles in one process)`,
    );
  }
  const throttled = env.WARDEN_GITHUB_THROTTLE !== 'off';
  const probot = createProbot({
    env,
    ...(throttled
      ? {}
      : {
          overrides: {
            // For benchmarks against the local simulator: the function form wins over Probot's own throttle defaults.
            Octokit: ProbotOctokit.defaults((options: Record<string, any>) => ({
              ...options,
              throttle: { ...options.throttle, enabled: false },
            })),
          },
        }),
  });
  // Probot builds its logger while it initialises; authenticating as the app (no request) waits for that.
  await probot.auth();
  const metrics = new WardenMetrics();
  const queue = createQueue(env, metrics, probot.log);
  const middleware =
    role === 'worker'
      ? undefined
      : await createNodeMiddleware(createWardenApp({ queue }), {
          probot,
          webhooksPath: env.WEBHOOK_PATH ?? '/api/github/webhooks',
        });
  // Engine threads start with the process, not with the first scan, which then pays nothing for them.
  if (role !== 'web') sharedEnginePool().warm();
  if (role !== 'web')
    queue.process(
      createScanProcessor({
        auth: (installationId) => probot.auth(installationId) as never,
        logger: probot.log,
        metrics,
        enqueue: (job) => queue.enqueue(job),
      }),
    );

  let accepting = true;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (path === '/readyz') {
      void queue.ready().then((ready) => {
        const ok = accepting && ready;
        response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ready' : 'not ready');
      });
      return;
    }
    if (path === '/metrics') {
      void queue
        .depth()
        .then((depth) => metrics.queueDepth.set(depth))
        .catch(() => undefined)
        .then(() => metrics.registry.metrics())
        .then((body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body));
      return;
    }
    if (!middleware) return void response.writeHead(404).end();
    middleware(request, response, () => response.writeHead(404).end());
  });
  const port = positiveInt(env.PORT, 3000);
  const host = env.HOST ?? 'localhost';
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  probot.log.info({ host, port, role, queue: env.REDIS_URL ? 'bullmq' : 'in-process' }, 'Warden is listening');

  return {
    server,
    queue,
    async stop() {
      accepting = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
    },
  };
}

function roleFrom(value: string | undefined): WardenRole {
  if (value === 'web' || value === 'worker' || value === 'all') return value;
  return 'all';
}

/** Stops cleanly on SIGTERM/SIGINT: scans in flight finish, queued ones drain or stay in Redis. */
export function stopOnSignals(warden: RunningWarden, log: (message: string) => void): void {
  let stopping = false;
  const shutDown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining scans in flight`);
    warden.stop().then(
      () => process.exit(0),
      (error: Error) => {
        log(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutDown('SIGTERM'));
  process.on('SIGINT', () => shutDown('SIGINT'));
}

/**
 * `npm start`: both roles in one process (or WARDEN_ROLE). Without credentials, outside
 * production, Probot's own server runs its setup page, which registers the app from `app.yml`.
 */
async function main(): Promise<void> {
  const hasCredentials = Boolean(process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH));
  if (!hasCredentials) {
    const queue = new InProcessScanQueue({ concurrency: 1, perInstallation: 1 });
    await run(createWardenApp({ queue }));
    return;
  }
  const warden = await startWarden(roleFrom(process.env.WARDEN_ROLE));
  stopOnSignals(warden, (message) => process.stderr.write(`warden: ${message}\n`));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`Warden could not start: ${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  });
}
