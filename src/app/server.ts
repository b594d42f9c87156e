import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { createNodeMiddleware, createProbot, ProbotOctokit, run, type Options } from 'probot';
import { proxyAwareFetch, proxyConfigured } from '../github/proxy.js';
import { appIdentityOnce } from '../github/identity.js';
import { WardenMetrics } from '../ops/metrics.js';
import { BullMqScanQueue } from '../queue/bullmq.js';
import { InProcessScanQueue } from '../queue/in-process.js';
import type { QueueObserver, ScanQueue } from '../queue/types.js';
import { isTransient, rateLimitDelayMs } from '../github/rate-limits.js';
import type { ScanJob } from '../scan/types.js';
import { createScanProcessor } from '../scan/worker.js';
import { createWardenApp } from './index.js';
import { markerKeyFrom, webhookSecretOf, webhookSecretProblem } from './secrets.js';
import { guardWebhooks } from './webhook-guard.js';
import { listenForMetrics, metricsAddressFrom } from './metrics-listener.js';
import { FailedDeliveries } from './redelivery.js';
import { sharedEnginePool } from '../scan/engine-pool.js';

/** `web` receives webhooks and enqueues; `worker` scans; `all` does both in one process. */
export type WardenRole = 'all' | 'web' | 'worker';

export interface RunningWarden {
  server: Server;
  /** Serves `/metrics`, apart from the webhook port. */
  metricsServer: Server;
  queue: ScanQueue<ScanJob>;
  /** Stops taking webhooks, drains the scans in flight, and closes the server. */
  stop(): Promise<void>;
}

type Env = NodeJS.ProcessEnv;

/** How far back the delivery log is searched for failed deliveries. */
const REDELIVERY_WINDOW_MS = 24 * 60 * 60 * 1000;

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

/** How long SIGTERM waits for the scans in flight (`WARDEN_DRAIN_TIMEOUT_SECONDS`, default 30). */
function drainTimeoutMs(env: Env): number {
  return positiveInt(env.WARDEN_DRAIN_TIMEOUT_SECONDS, 30) * 1000;
}

function createQueue(env: Env, metrics: WardenMetrics, log: Logger): ScanQueue<ScanJob> {
  const concurrency = positiveInt(env.WARDEN_CONCURRENCY, 2);
  const observer = metrics.queueObserver(logObserver(log));
  if (env.REDIS_URL)
    return new BullMqScanQueue<ScanJob>({
      url: env.REDIS_URL,
      concurrency,
      observer,
      drainTimeoutMs: drainTimeoutMs(env),
      retryPolicy: { isTransient, delayMs: rateLimitDelayMs },
    });
  return new InProcessScanQueue<ScanJob>({
    concurrency,
    perInstallation: positiveInt(env.WARDEN_PER_INSTALLATION, Math.max(1, concurrency - 1)),
    observer,
  });
}

/**
 * How the App's GitHub clients differ from Probot's: behind a proxy (`HTTPS_PROXY` / `HTTP_PROXY`,
 * minus `NO_PROXY`), every call (app and installation tokens, REST, GraphQL, advisories) goes
 * through it, which Node's own fetch would not do; `WARDEN_GITHUB_THROTTLE=off` drops Probot's
 * spacing of requests, for benchmarks against the local simulator.
 */
export async function githubClientOverrides(env: Env): Promise<Partial<Options>> {
  const overrides: Partial<Options> = {};
  if (proxyConfigured(env)) overrides.request = { fetch: await proxyAwareFetch(env) };
  if (env.WARDEN_GITHUB_THROTTLE === 'off')
    // The function form wins over Probot's own throttle defaults.
    overrides.Octokit = ProbotOctokit.defaults((options: { throttle?: object }) => ({
      ...options,
      throttle: { ...options.throttle, enabled: false },
    }));
  return overrides;
}

/**
 * Starts Warden in one role. The webhook endpoint answers as soon as the event is queued;
 * `/healthz` says the process is up, `/readyz` that it can take work; `/metrics` has its own port.
 */
export async function startWarden(role: WardenRole, env: Env = process.env): Promise<RunningWarden> {
  if (role !== 'all' && !env.REDIS_URL) {
    throw new Error(
      `\`warden ${role}\` needs REDIS_URL: web and worker replicas share a Redis queue (without Redis, \`npm start\` runs both roles in one process)`,
    );
  }
  const secretProblem = webhookSecretProblem(env);
  if (secretProblem) throw new Error(secretProblem);
  const metricsAddress = metricsAddressFrom(env);
  const probot = createProbot({ env, overrides: await githubClientOverrides(env) });
  // Probot builds its logger while it initialises; authenticating as the app (no request) waits for that.
  await probot.auth();
  const metrics = new WardenMetrics();
  const queue = createQueue(env, metrics, probot.log);
  const identity = appIdentityOnce(() => probot.auth());
  const markerKey = markerKeyFrom(env);
  const webhooksPath = env.WEBHOOK_PATH ?? '/api/github/webhooks';
  const middleware =
    role === 'worker'
      ? undefined
      : guardWebhooks(
          await createNodeMiddleware(createWardenApp({ queue, identity, markerKey }), { probot, webhooksPath }),
          { path: webhooksPath, secret: webhookSecretOf(env), log: probot.log },
        );
  // Engine threads start with the process, not with the first scan, which then pays nothing for them.
  if (role !== 'web') sharedEnginePool().warm();
  if (role !== 'web')
    queue.process(
      createScanProcessor({
        auth: (installationId) => probot.auth(installationId),
        logger: probot.log,
        identity,
        markerKey,
        metrics,
        enqueue: (job) => queue.enqueue(job),
      }),
    );

  // Every process that receives webhooks sends again what GitHub recorded as failed.
  const redeliveryIntervalS = Number(env.WARDEN_REDELIVERY_INTERVAL_SECONDS ?? 300);
  const failedDeliveries =
    middleware && redeliveryIntervalS > 0
      ? new FailedDeliveries({
          appOctokit: () => probot.auth(),
          queue,
          log: probot.log,
          windowMs: REDELIVERY_WINDOW_MS,
          intervalMs: redeliveryIntervalS * 1000,
        })
      : undefined;
  failedDeliveries?.start();

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
    if (!middleware) return void response.writeHead(404).end();
    middleware(request, response, () => response.writeHead(404).end());
  });
  // Longer than any client's keep-alive (load balancers use 60 s), so that the server never closes
  // a socket just as the client sends the next request on it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = positiveInt(env.PORT, 3000);
  const host = env.HOST ?? 'localhost';
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const metricsServer = await listenForMetrics(metricsAddress, metrics, queue);
  probot.log.info(
    { host, port, metrics: metricsAddress, role, queue: env.REDIS_URL ? 'bullmq' : 'in-process' },
    'Warden is listening',
  );

  return {
    server,
    metricsServer,
    queue,
    async stop() {
      accepting = false;
      failedDeliveries?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would hold close() open until they time out.
      server.closeIdleConnections();
      await closed;
      await queue.close();
      await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
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
    // A drain that cannot finish (Redis away, a stuck request) must not keep the process alive.
    setTimeout(
      () => {
        log('drain timeout passed; exiting with scans still in flight');
        process.exit(1);
      },
      drainTimeoutMs(process.env) + 5_000,
    ).unref();
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
    const queue = new InProcessScanQueue<ScanJob>({ concurrency: 1, perInstallation: 1 });
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
