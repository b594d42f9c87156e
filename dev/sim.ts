import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AppProcess, generateAppCredentials } from './app-process.js';
import { DEMO_FIXTURES, readFolder, ROOT } from './fixtures.js';
import { GitHubSimulator, type PullRequestState } from './github-sim/index.js';
import { pullRequestReport } from './pull-request-report.js';
import { renderPullRequestReport } from './report-html.js';
import { scanCallSummary } from './scan-watch.js';

/**
 * `npm run sim`: the GitHub simulator on its own, for trying the app by hand. It prints the
 * environment that points an app at it and reads commands from stdin. With `--app` it also
 * starts the app (`npm start`) and wires the webhooks; otherwise webhooks go to
 * `--webhook-url` (default http://127.0.0.1:3000/api/github/webhooks).
 */

const HELP = `commands:
  open                     open a PR with demo/orders-service/pr-commit-1
  push                     push demo/orders-service/pr-commit-2 to it
  comment <user> <text>    comment on the PR as <user> (e.g. comment mona /warden rescan)
  permission <user> <perm> set <user>'s permission (admin, maintain, write, triage, read, none)
  calls                    API calls so far, by route
  rejections               requests GitHub would have refused
  report                   write demo/report.html
  quit`;

const write = (text: string): void => void process.stdout.write(`${text}\n`);

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const credentials = generateAppCredentials();
  const sim = await GitHubSimulator.start({
    appId: credentials.appId,
    appKey: credentials.privateKey,
    webhookSecret: credentials.webhookSecret,
    log: (line) => write(`github-sim: ${line}`),
  });
  let app: AppProcess | undefined;
  if (process.argv.includes('--app')) {
    try {
      app = await AppProcess.start({
        credentials,
        gheHost: sim.host,
        command: ['npm', 'start', '--silent'],
        cwd: ROOT,
        logLevel: 'info',
      });
    } catch (error) {
      await sim.close();
      throw error;
    }
    sim.webhookUrl = app.webhookUrl;
    write(`The app (npm start) listens on ${app.url}.`);
  } else {
    sim.webhookUrl = option('--webhook-url') ?? 'http://127.0.0.1:3000/api/github/webhooks';
    const keyPath = join(mkdtempSync(join(tmpdir(), 'warden-sim-')), 'app.pem');
    writeFileSync(keyPath, credentials.privateKey, { mode: 0o600 });
    write('Start the app against the simulator with:');
    write(
      `  APP_ID=${credentials.appId} PRIVATE_KEY_PATH=${keyPath} WEBHOOK_SECRET=${credentials.webhookSecret} GHE_HOST=${sim.host} GHE_PROTOCOL=http PORT=3000 npm start`,
    );
    write(`Webhooks go to ${sim.webhookUrl}.`);
  }
  const repo = sim.createRepository('octo-org', 'orders-service', readFolder(join(DEMO_FIXTURES, 'main')));
  sim.setPermission(repo, 'mona', 'maintain');
  write(`GitHub simulator on http://${sim.host}; repository octo-org/orders-service.\n${HELP}`);

  let pull: PullRequestState | undefined;
  const commands: Record<string, (args: string[]) => Promise<void> | void> = {
    open: async () => {
      const opened = await sim.openPullRequest(repo, {
        branch: `topic-${repo.pulls.size + 1}`,
        title: 'Add orders, ping and settings endpoints',
        author: 'alice',
        files: readFolder(join(DEMO_FIXTURES, 'pr-commit-1')),
      });
      pull = opened.pull;
      write(`PR #${pull.number} opened; webhook → ${opened.delivery?.status}`);
    },
    push: async () => {
      if (!pull) return write('open a PR first');
      const pushed = await sim.pushToPullRequest(
        repo,
        pull,
        'Parameterize the orders query; add discount rules',
        readFolder(join(DEMO_FIXTURES, 'pr-commit-2')),
      );
      write(`pushed ${pushed.commit.sha.slice(0, 7)}; webhook → ${pushed.delivery?.status}`);
    },
    comment: async ([user, ...text]) => {
      if (!pull || !user || text.length === 0) return write('usage: comment <user> <text> (after open)');
      const commented = await sim.commentOnPullRequest(repo, pull, user, text.join(' '));
      write(`comment ${commented.comment.id} posted; webhook → ${commented.delivery?.status}`);
    },
    permission: ([user, permission]) => {
      if (!user || !permission) return write('usage: permission <user> <permission>');
      sim.setPermission(repo, user, permission as Parameters<typeof sim.setPermission>[2]);
    },
    calls: () => {
      for (const [route, count] of scanCallSummary(sim.calls)) write(`${String(count).padStart(4)} × ${route}`);
    },
    rejections: () => {
      for (const rejection of sim.rejections)
        write(`${rejection.method} ${rejection.path} → ${rejection.status} ${rejection.message}`);
    },
    report: () => {
      if (!pull) return write('open a PR first');
      writeFileSync(join(ROOT, 'demo', 'report.html'), renderPullRequestReport(pullRequestReport(sim, repo, pull)));
      write('wrote demo/report.html');
    },
  };

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [name, ...args] = line.trim().split(/\s+/);
    if (!name) continue;
    if (name === 'quit' || name === 'exit') break;
    const command = commands[name];
    if (!command) {
      write(HELP);
      continue;
    }
    try {
      await command(args);
    } catch (error) {
      write(`${name} failed: ${(error as Error).message}`);
    }
  }
  lines.close();
  await app?.stop();
  await sim.close();
}

try {
  await main();
} catch (error) {
  process.stderr.write(`sim: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
