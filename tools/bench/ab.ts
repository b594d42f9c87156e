/**
 * `npm run bench:ab -- OTHER_DIST FILE…`: the engine of another build (`OTHER_DIST`, a `dist/`
 * directory, e.g. one built from an earlier commit inside a git worktree) against this one, in
 * one process, on the same files, interleaved round by round so that both see the same machine.
 * Prints the best CPU time of each over AB_ROUNDS rounds (default 5) and their ratio. For engine
 * changes whose effect is smaller than the noise between two separate runs on a shared machine.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

type ScanSource = (path: string, source: string, options: { rules: readonly unknown[] }) => { findings: unknown[] };

interface Build {
  name: string;
  scanSource: ScanSource;
  rules: readonly unknown[];
}

async function loadBuild(name: string, dist: string): Promise<Build> {
  const engine = (await import(resolve(dist, 'engine/scan-source.js'))) as { scanSource: ScanSource };
  const registry = (await import(resolve(dist, 'rules/index.js'))) as { allRules: readonly unknown[] };
  return { name, scanSource: engine.scanSource, rules: registry.allRules };
}

const [otherDist, ...paths] = process.argv.slice(2);
if (!otherDist || paths.length === 0) {
  process.stderr.write('usage: npm run bench:ab -- OTHER_DIST FILE…\n');
  process.exit(2);
}
const rounds = Number(process.env.AB_ROUNDS ?? 5);
const files = paths.map((path) => ({ path, source: readFileSync(path, 'utf8') }));
const builds = [
  await loadBuild(`other (${otherDist})`, otherDist),
  await loadBuild('this build', fileURLToPath(new URL('../../../dist/', import.meta.url))),
];

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const best = builds.map(() => Infinity);
const findings = builds.map(() => 0);
for (let round = 0; round < rounds; round++) {
  for (const [index, build] of builds.entries()) {
    const started = cpuMs();
    let count = 0;
    for (const { path, source } of files) {
      count += build.scanSource(path, source, { rules: build.rules }).findings.length;
      // Tree-sitter frees trees only when the event loop turns.
      await turnEventLoop();
    }
    best[index] = Math.min(best[index], cpuMs() - started);
    findings[index] = count;
  }
}
for (const [index, build] of builds.entries())
  console.log(`${build.name}: ${best[index].toFixed(0)} ms CPU (best of ${rounds}), ${findings[index]} findings`);
console.log(`this / other: ${(best[1] / best[0]).toFixed(2)}`);
