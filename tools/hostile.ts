/**
 * `npm run hostile`: times `warden scan` on each hostile file of issue 14, whole process, as a
 * user runs it, with the default budgets. Prints wall and CPU time of the process, the scan's
 * own duration as the report gives it (reading, parsing and rules, without Node's start-up),
 * the findings and whether the file was reported incomplete; HOSTILE_RUNS (default 3) runs
 * each, and the median is shown.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './bench/stats.js';
import { HOSTILE_FILES, hostileSource } from './fuzz/hostile-files.js';

const runs = Number(process.env.HOSTILE_RUNS ?? 3);
const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'warden-hostile-'));

interface Run {
  wallMs: number;
  cpuMs: number;
  scanMs: number;
  exitCode: number | null;
  findings: number;
  incomplete: string[];
}

function scanOnce(path: string): Run {
  // `time -f` reports the child's CPU; spawnSync's own timing is the wall clock.
  const started = performance.now();
  const child = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, cli, 'scan', path, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const [user, system] = child.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const report = JSON.parse(child.stdout) as {
    findings: unknown[];
    stats: { incomplete: { reason: string }[]; durationMs: number };
  };
  return {
    wallMs,
    cpuMs: (user + system) * 1000,
    scanMs: report.stats.durationMs,
    exitCode: child.status,
    findings: report.findings.length,
    incomplete: report.stats.incomplete.map((entry) => entry.reason),
  };
}

const bare = Array.from({ length: runs }, () => {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - started;
});
console.log(`node -e 0: ${median(bare).toFixed(0)} ms wall (median of ${runs})\n`);
console.log('| file | wall ms | CPU ms | scan ms | findings | exit | incomplete |');
console.log('|---|---|---|---|---|---|---|');
try {
  HOSTILE_FILES.forEach((file, index) => {
    const path = join(dir, `hostile${index}.py`);
    writeFileSync(path, hostileSource(file));
    const results = Array.from({ length: runs }, () => scanOnce(path));
    const last = results.at(-1)!;
    console.log(
      `| ${file.name} | ${median(results.map((r) => r.wallMs)).toFixed(0)} | ${median(results.map((r) => r.cpuMs)).toFixed(0)} | ${median(results.map((r) => r.scanMs)).toFixed(0)} | ${last.findings} | ${last.exitCode} | ${last.incomplete.join('; ') || 'no'} |`,
    );
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
