import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** A freshly registered app's secrets, as GitHub would hand them out. */
export interface AppCredentials {
  appId: number;
  /** PKCS#1 PEM, as GitHub's "Generate a private key" button gives it. */
  privateKey: string;
  webhookSecret: string;
}

export function generateAppCredentials(appId = 4242): AppCredentials {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    appId,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    webhookSecret: randomBytes(20).toString('hex'),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface AppProcessOptions {
  credentials: AppCredentials;
  /** The simulator's `host:port`, passed as `GHE_HOST`. */
  gheHost: string;
  /** The command that starts the app, run in `cwd`; `npm start` is what a user types. */
  command?: [string, ...string[]];
  cwd?: string;
  logLevel?: string;
  /** Extra environment for the app (e.g. `WARDEN_GITHUB_THROTTLE`). */
  env?: Record<string, string>;
  /** How long the app may take to answer `/readyz`. */
  startTimeoutMs?: number;
}

/** The app running as a child process, with its output kept for error messages. */
export class AppProcess {
  private output = '';
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly metricsPort: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
    });
  }

  /** Starts the app and waits until it answers on its port. */
  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const port = await freePort();
    const metricsPort = await freePort();
    const [command, ...args] = options.command ?? ['node', 'dist/app/server.js'];
    // The queue mode is the caller's choice: a REDIS_URL in the test runner's environment (CI
    // sets one for the queue tests) must not put every simulated app on one shared Redis. The
    // comment state is signed with the webhook secret, which the simulator's callers know.
    const {
      REDIS_URL: _ignoredRedis,
      WARDEN_ROLE: _ignoredRole,
      WARDEN_STATE_SECRET: _ignoredStateSecret,
      ...inherited
    } = process.env;
    const env: Record<string, string | undefined> = {
      ...inherited,
      APP_ID: String(options.credentials.appId),
      PRIVATE_KEY: options.credentials.privateKey,
      WEBHOOK_SECRET: options.credentials.webhookSecret,
      GHE_HOST: options.gheHost,
      GHE_PROTOCOL: 'http',
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'warn',
      ...options.env,
    };
    const child = spawn(command, args, {
      cwd: options.cwd ?? process.cwd(),
      // Its own process group, so stopping `npm start` also stops the node it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Probot narrows LOG_LEVEL's type in ProcessEnv; the value is one of its levels or Probot reports it.
      env: env,
    });
    const app = new AppProcess(child, port, metricsPort);
    try {
      await app.waitUntilReady(options.startTimeoutMs ?? 30_000);
    } catch (error) {
      await app.stop();
      throw error;
    }
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where Prometheus would scrape `/metrics`. */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}/metrics`;
  }

  get webhookUrl(): string {
    return `${this.url}/api/github/webhooks`;
  }

  /** The spawned process's id (the app's node process when started without a wrapper such as npm). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the app wrote to stdout and stderr (the last 200 KB). */
  log(): string {
    return this.output;
  }

  private keep(chunk: Buffer): void {
    this.output = (this.output + chunk.toString('utf8')).slice(-200_000);
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited)
        throw new Error(
          `the app exited (code ${this.exited.code}, signal ${this.exited.signal}) before it was ready:\n${this.output}`,
        );
      try {
        const response = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        // An app without a readiness route still proves it listens by answering at all.
        if (response.status === 200 || response.status === 404) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the app did not answer on port ${this.port} within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Stops the app's whole process group: SIGTERM, then SIGKILL after a grace period. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-this.child.pid!, signal);
      } catch {
        // The group is already gone.
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
