import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppProcess, generateAppCredentials } from '../../dev/app-process.js';
import { GitHubSimulator } from '../../dev/github-sim/index.js';
import { waitForScan } from '../../dev/scan-watch.js';

export interface PullRequestCost {
  files: number;
  /** `added`: every file is new, so no base version is scanned; `modified`: every file's base version is scanned too. */
  change: 'added' | 'modified';
  findings: number;
  throttled: boolean;
  apiCalls: number;
  wallMs: number;
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SIZES = [1, 10, 100, 1000];
const CHANGES = ['added', 'modified'] as const;

/** A changed Python module; every twentieth one adds a shell-injection finding. */
function moduleSource(index: number): string {
  const lines = [
    'import subprocess',
    '',
    '',
    `def task_${index}(name):`,
    `    return subprocess.run(["echo", name], check=True)`,
  ];
  if (index % 20 === 0)
    lines.push('', '', `def unsafe_${index}(name):`, `    return subprocess.run(f"echo {name}", shell=True)`);
  return `${lines.join('\n')}\n`;
}

/** The head version of a module the PR modifies: a docstring above it, and in one file in twenty a new finding. */
function modifiedSource(index: number): string {
  const added =
    index % 20 === 10
      ? `\n\ndef reload_${index}(name):\n    return subprocess.run(f"kill -HUP {name}", shell=True)\n`
      : '';
  return `"""Module ${index}."""\n${moduleSource(index)}${added}`;
}

/**
 * GitHub API calls and wall time per PR size, through the local GitHub simulator and the real
 * app (as `npm start` runs it), with Probot's request throttling on and off. Returns a reason
 * instead when the app has not been built.
 */
export async function measurePullRequestCost(): Promise<PullRequestCost[] | string> {
  if (!existsSync(`${repositoryRoot}dist/app/server.js`))
    return 'Not measured: `dist/app/server.js` is missing (run `npm run build`).';
  const results: PullRequestCost[] = [];
  for (const throttled of [false, true]) {
    const credentials = generateAppCredentials();
    const sim = await GitHubSimulator.start({
      appId: credentials.appId,
      appKey: credentials.privateKey,
      webhookSecret: credentials.webhookSecret,
      log: () => undefined,
    });
    let app: AppProcess | undefined;
    try {
      app = await AppProcess.start({
        credentials,
        gheHost: sim.host,
        cwd: repositoryRoot,
        env: { WARDEN_GITHUB_THROTTLE: throttled ? 'on' : 'off' },
      });
      sim.webhookUrl = app.webhookUrl;
      for (const [size, change] of SIZES.flatMap((size) => CHANGES.map((change) => [size, change] as const))) {
        const modules = (source: (index: number) => string) =>
          Object.fromEntries(Array.from({ length: size }, (_, i) => [`pkg/module_${i}.py`, source(i)]));
        const repo = sim.createRepository('bench', `pr-${size}-${change}-${throttled ? 'throttled' : 'direct'}`, {
          'README.md': '# bench\n',
          ...(change === 'modified' ? modules(moduleSource) : {}),
        });
        const files = modules(change === 'modified' ? modifiedSource : moduleSource);
        const before = sim.calls.length;
        const started = Date.now();
        const { pull } = await sim.openPullRequest(repo, {
          branch: `change-${size}`,
          title: `Change ${size} files`,
          author: 'dev',
          files,
        });
        await waitForScan(sim, repo, sim.headCommit(repo, pull).sha, 600_000);
        const calls = sim.calls.slice(before);
        // Up to the scan's last API call: waiting for quiet is the harness's time, not the app's.
        const wallMs = (calls.at(-1)?.at ?? started) - started;
        const findings = change === 'added' ? Math.ceil(size / 20) : Math.floor((size + 9) / 20);
        results.push({ files: size, change, findings, throttled, apiCalls: calls.length, wallMs });
        process.stderr.write(
          `bench: PR of ${size} ${change} files, throttling ${throttled ? 'on' : 'off'}: ${calls.length} calls, ${(wallMs / 1000).toFixed(2)} s\n`,
        );
      }
    } finally {
      await app?.stop();
      await sim.close();
    }
  }
  return results;
}
