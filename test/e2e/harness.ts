import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppProcess, generateAppCredentials } from '../../dev/app-process.js';
import { GitHubSimulator } from '../../dev/github-sim/index.js';

export const ROOT = process.cwd();

const BUILT = [join(ROOT, 'dist', 'app', 'server.js'), join(ROOT, 'build', 'dev', 'demo.js')];

/** The built app (as `npm start` runs it) and demo; built here when missing (`npm ci` builds only the app). */
export function ensureBuiltApp(): void {
  if (BUILT.every((path) => existsSync(path))) {
    warnIfStale();
    return;
  }
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
    execFileSync('npm', ['run', 'build:dev'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    // tsc still writes output when some unrelated file has a type error; only missing entry points are fatal.
    const missing = BUILT.filter((path) => !existsSync(path));
    if (missing.length > 0)
      throw new Error(
        `npm run build did not produce ${missing.join(', ')}:\n${String((error as { stdout?: Buffer }).stdout ?? error)}`,
        { cause: error },
      );
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
  const sim = await GitHubSimulator.start({
    appId: credentials.appId,
    appKey: credentials.privateKey,
    webhookSecret: credentials.webhookSecret,
    log: (line) => logLines.push(line),
  });
  let app: AppProcess;
  try {
    app = await AppProcess.start({
      credentials,
      gheHost: sim.host,
      command: ['node', 'dist/app/server.js'],
      cwd: ROOT,
    });
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

function newestModification(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** These tests run the built app: say so when the sources changed after the last build. */
function warnIfStale(): void {
  const builtAt = Math.min(...BUILT.map((path) => statSync(path).mtimeMs));
  if (newestModification(join(ROOT, 'src')) > builtAt) {
    console.warn(
      'e2e: src/ changed after dist/ was built; these tests run the built app, so run `npm run build` first',
    );
  }
}

/** A Flask service with one high-severity finding on line 10: a request argument concatenated into a shell command. */
export const SERVICE = `import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/backup")
def backup():
    os.system("tar czf /tmp/backup.tgz " + request.args["dir"])
    return "ok"
`;
