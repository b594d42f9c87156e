import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../dev/app-process.js';

/** A throwaway `redis-server` on a loopback port, with persistence off. */
export class PrivateRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  /** Starts on a free port, or on `port` (to bring a stopped server back at the same address). */
  static async start(timeoutMs = 10_000, port?: number): Promise<PrivateRedis> {
    port ??= await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start redis-server: ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it answered`)));
    });
    const server = new PrivateRedis(child, `redis://127.0.0.1:${port}`);
    try {
      await Promise.race([server.waitForPong(timeoutMs), failed]);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  private async waitForPong(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch {
        // Not listening yet.
      } finally {
        client.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`redis-server did not answer on ${this.url} within ${timeoutMs} ms`);
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
