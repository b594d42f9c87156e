import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess, generateAppCredentials } from '../../src/dev/app-process.js';
import { GitHubSimulator } from '../../src/dev/github-sim/index.js';

export const ROOT = process.cwd();

const BUILT = [join(ROOT, 'dist', 'app', 'server.js'), join(ROOT, 'dist', 'dev', 'demo.js')];

/** The built app (as `npm start` runs it) and demo; built here when `npm ci` did not already (prepare). */
export function ensureBuiltApp(): void {
  if (BUILT.every((path) => existsSync(path))) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    // tsc still writes output when some unrelated file has a type error; only missing entry points are fatal.
    const missing = BUILT.filter((path) => !existsSync(path));
    if (missing.length > 0) throw new Error(`npm run build did not produce ${missing.join(', ')}:\n${String((error as { stdout?: Buffer }).stdout ?? error)}`);
  }
}

export interface Harness {
  sim: GitHubSimulator;
  app: AppProcess;
  stop(): Promise<void>;
}

/** A simulator and the real app, started the way a user starts it, wired to each other. */
export async function startHarness(): Promise<Harness> {
  ensureBuiltApp();
  const credentials = generateAppCredentials();
  const logLines: string[] = [];
  const sim = await GitHubSimulator.start({ appId: credentials.appId, appKey: credentials.privateKey, webhookSecret: credentials.webhookSecret, log: (line) => logLines.push(line) });
  let app: AppProcess;
  try {
    app = await AppProcess.start({ credentials, gheHost: sim.host, command: ['node', 'dist/app/server.js'], cwd: ROOT });
  } catch (error) {
    await sim.close();
    throw error;
  }
  sim.webhookUrl = app.webhookUrl;
  return {
    sim,
    app,
    async stop() {
      await app.stop();
      await sim.close();
    },
  };
}
