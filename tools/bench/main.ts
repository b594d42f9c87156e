/**
 * `npm run bench`: Warden side by side with Ruff's `S` rules, Bandit and the tree-sitter floor
 * on real code, each in its own process over several runs, as medians with min and max, on
 * one thread each and on every thread. Also start-up, diff-scoped latency, scaling, a CPU
 * profile of Warden and the per-PR API cost. Writes BENCHMARKS.md. Exits non-zero only when it
 * could not run.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { promisify } from 'node:util';
import { diffTexts } from '../../src/diff/patch.js';
import { scanSource } from '../../src/engine/index.js';
import { allRules } from '../../src/rules/index.js';
import { corpora, pythonFiles, stdlibCorpus, type Corpus } from '../support/corpus.js';
import type { ChildResult, Subject } from './child.js';
import { measurePullRequestCost, type PullRequestCost } from './pr-cost.js';
import { topSelfTime, type ProfileEntry } from './profile.js';
import { describeStats, median, type Stats, stats } from './stats.js';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./child.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OUTPUT = join(repositoryRoot, 'BENCHMARKS.md');
/** Every thread the machine has, at most the two that `warden scan` uses. */
const ALL_THREADS = Math.min(2, availableParallelism());

/** A subject run on a number of threads. */
interface Contender {
  subject: Subject;
  threads: number;
}

interface Measurement extends Contender {
  corpus: string;
  files: number;
  bytes: number;
  findings: number;
  wallMs: Stats;
  scanMs: Stats;
  cpuMs: Stats;
  rssMiB: Stats;
}

const SUBJECT_NAMES: Record<Subject, string> = {
  warden: 'Warden (all rules, taint on)',
  'warden-no-taint': 'Warden (all rules, taint off)',
  ruff: 'Ruff `S` rules (ruff-wasm)',
  floor: 'tree-sitter parse + one full walk (floor)',
  bandit: 'Bandit (Debian)',
};

function contenderName({ subject, threads }: Contender): string {
  return `${SUBJECT_NAMES[subject]}, ${threads === 1 ? 'one thread' : `${threads} threads`}`;
}

/**
 * Bandit, in a Python process that reports Bandit's own CPU time and peak memory the way the
 * Node children do. Its findings are counted from its JSON report.
 */
const BANDIT_RUNNER = `
import json, resource, subprocess, sys, time
files = open(sys.argv[1]).read().splitlines()
started = time.monotonic()
done = subprocess.run(["bandit", "-q", "-f", "json", *files], capture_output=True, text=True)
elapsed = time.monotonic() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
report = json.loads(done.stdout)
print(json.dumps({"subject": "bandit", "threads": 1, "files": len(files),
  "bytes": sum(len(open(f, "rb").read()) for f in files), "findings": len(report["results"]), "nodes": 0,
  "scanMs": elapsed * 1000, "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000, "maxRssMiB": usage.ru_maxrss / 1024}))
`;

/** Debian's Bandit, when the machine has it: its version, or undefined. */
function banditVersion(): string | undefined {
  try {
    return /bandit ([\d.]+)/.exec(execFileSync('bandit', ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

async function runChild(contender: Contender, listFile: string): Promise<{ wallMs: number; result: ChildResult }> {
  const [command, args] =
    contender.subject === 'bandit'
      ? ['python3', ['-c', BANDIT_RUNNER, listFile]]
      : [process.execPath, [childScript, contender.subject, listFile, String(contender.threads)]];
  const started = performance.now();
  const { stdout } = await run(command, args, { maxBuffer: 1 << 20 });
  return { wallMs: performance.now() - started, result: JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult };
}

/** Each contender in its own process, interleaved run by run so that machine noise hits all alike. */
async function measure(corpusName: string, files: string[], contenders: Contender[]): Promise<Measurement[]> {
  const listFile = join(mkdtempSync(join(tmpdir(), 'warden-bench-')), 'files.txt');
  writeFileSync(listFile, files.join('\n'));
  const samples = contenders.map(() => ({
    wall: [] as number[],
    scan: [] as number[],
    cpu: [] as number[],
    rss: [] as number[],
    last: undefined as ChildResult | undefined,
  }));
  for (let i = 0; i < RUNS; i++) {
    for (const [index, contender] of contenders.entries()) {
      const { wallMs, result } = await runChild(contender, listFile);
      const sample = samples[index];
      sample.wall.push(wallMs);
      sample.scan.push(result.scanMs);
      sample.cpu.push(result.cpuMs);
      sample.rss.push(result.maxRssMiB);
      sample.last = result;
      process.stderr.write(
        `bench: ${corpusName} ${contenderName(contender)} run ${i + 1}/${RUNS}: ${(wallMs / 1000).toFixed(2)} s\n`,
      );
    }
  }
  return contenders.map((contender, index) => {
    const sample = samples[index];
    const last = sample.last!;
    return {
      ...contender,
      corpus: corpusName,
      files: last.files,
      bytes: last.bytes,
      findings: last.findings,
      wallMs: stats(sample.wall),
      scanMs: stats(sample.scan),
      cpuMs: stats(sample.cpu),
      rssMiB: stats(sample.rss),
    };
  });
}

interface DiffLatency {
  file: string;
  lines: number;
  bytes: number;
  fullScanMs: Stats;
  findingsInSlice: number;
}

/** The first runs include JIT warm-up, which a long-running app pays once. */
const LATENCY_WARM_UP_RUNS = 6;
const LATENCY_RUNS = 15;

/** A one-line change in the largest stdlib file, from file content to the findings on touched lines. */
async function diffScopedLatency(files: string[]): Promise<DiffLatency> {
  const largest = files.map((path) => ({ path, size: readFileSync(path).length })).sort((a, b) => b.size - a.size)[0];
  const before = readFileSync(largest.path, 'utf8');
  // Appended as a statement of its own: the middle of a file may be inside a string literal.
  const after = `${before.replace(/\n?$/, '\n')}import subprocess; subprocess.run(user_command, shell=True)\n`;
  const lines = after.split('\n');
  const timings: number[] = [];
  let findingsInSlice = 0;
  for (let i = 0; i < LATENCY_WARM_UP_RUNS + LATENCY_RUNS; i++) {
    const started = performance.now();
    const touched = diffTexts(before, after).touchedLines;
    const { findings } = scanSource(largest.path, after, { rules: allRules, parseTimeoutMs: 10_000 });
    findingsInSlice = findings.filter((f) => touched.has(f.line)).length;
    timings.push(performance.now() - started);
    // Between two pushes an app turns its event loop, which is when tree-sitter frees old trees.
    await turnEventLoop();
  }
  return {
    file: largest.path,
    lines: lines.length,
    bytes: Buffer.byteLength(after),
    fullScanMs: stats(timings.slice(LATENCY_WARM_UP_RUNS)),
    findingsInSlice,
  };
}

interface StartUp {
  runs: number;
  bareNodeMs: Stats;
  wardenMs: Stats;
}

/**
 * `warden scan one_file.py` in a small git repository, as a pre-commit hook runs it, against a
 * bare `node -e 0`, interleaved, whole process.
 */
async function measureStartUp(): Promise<StartUp> {
  const repo = mkdtempSync(join(tmpdir(), 'warden-start-'));
  writeFileSync(
    join(repo, 'one_file.py'),
    'import subprocess\n\n\ndef run(name):\n    return subprocess.run(["echo", name])\n',
  );
  execFileSync('git', ['init', '-q', repo]);
  const cli = join(repositoryRoot, 'dist/cli/main.js');
  const time = async (args: string[]) => {
    const started = performance.now();
    await run(process.execPath, args, { cwd: repo }).catch((error: { code?: number }) => {
      if (error.code !== 1) throw error;
    });
    return performance.now() - started;
  };
  const runs = RUNS * 3;
  const bare: number[] = [];
  const warden: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await time(['-e', '0']));
    warden.push(await time([cli, 'scan', 'one_file.py']));
  }
  return { runs, bareNodeMs: stats(bare), wardenMs: stats(warden) };
}

/** A CPU profile of Warden on one thread over `files`, reduced to the functions with the most self time. */
async function profileWarden(files: string[]): Promise<ProfileEntry[]> {
  const dir = mkdtempSync(join(tmpdir(), 'warden-profile-'));
  const listFile = join(dir, 'files.txt');
  writeFileSync(listFile, files.join('\n'));
  await run(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, childScript, 'warden', listFile, '1'], {
    maxBuffer: 1 << 20,
  });
  const profile = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!profile) throw new Error('node --cpu-prof wrote no profile');
  return topSelfTime(join(dir, profile), 10);
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function measurementRows(rows: Measurement[]): string[] {
  return rows.map((m) => {
    const seconds = median(m.wallMs.values) / 1000;
    return `| ${SUBJECT_NAMES[m.subject]} | ${m.threads} | ${describeStats(m.wallMs, 1000, 2)} | ${describeStats(m.scanMs, 1000, 2)} | ${describeStats(m.cpuMs, 1000, 2)} | ${(m.files / seconds).toFixed(0)} | ${(m.bytes / 1024 / 1024 / seconds).toFixed(2)} | ${describeStats(m.rssMiB, 1, 0)} | ${m.findings} |`;
  });
}

type Field = 'wallMs' | 'scanMs' | 'cpuMs';

function find(rows: Measurement[], subject: Subject, threads: number): Measurement | undefined {
  return rows.find((m) => m.subject === subject && m.threads === threads);
}

function ratioOf(x: Measurement | undefined, y: Measurement | undefined, field: Field): number | undefined {
  return x && y ? median(x[field].values) / median(y[field].values) : undefined;
}

function ratio(x: Measurement | undefined, y: Measurement | undefined, field: Field): string {
  const value = ratioOf(x, y, field);
  return value === undefined ? 'n/a' : `${value.toFixed(2)}×`;
}

/** `**1.23×** (target at most 1.5×, met)`. */
function againstTarget(value: number | undefined, target: number): string {
  if (value === undefined) return 'n/a';
  return `**${value.toFixed(2)}×** (target at most ${target}×, ${value <= target ? 'met' : 'not met'})`;
}

function ratioLines(rows: Measurement[]): string[] {
  const warden = find(rows, 'warden', 1);
  const wardenAll = find(rows, 'warden', ALL_THREADS);
  const floor = find(rows, 'floor', 1);
  const floorAll = find(rows, 'floor', ALL_THREADS);
  const ruff = find(rows, 'ruff', 1);
  const bandit = find(rows, 'bandit', 1);
  const lines = [
    '*One thread each:*',
    `- Warden / tree-sitter floor: ${againstTarget(ratioOf(warden, floor, 'wallMs'), 1.5)} wall, ${ratio(warden, floor, 'scanMs')} scan, ${ratio(warden, floor, 'cpuMs')} CPU.`,
    `- Warden / Ruff: ${againstTarget(ratioOf(warden, ruff, 'wallMs'), 1)} wall, ${ratio(warden, ruff, 'scanMs')} scan.`,
  ];
  if (ALL_THREADS > 1)
    lines.push(
      '',
      `*All ${ALL_THREADS} threads (Ruff's wasm build and Bandit have one):*`,
      `- Warden / tree-sitter floor: **${ratio(wardenAll, floorAll, 'wallMs')}** wall, ${ratio(wardenAll, floorAll, 'scanMs')} scan, ${ratio(wardenAll, floorAll, 'cpuMs')} CPU.`,
      `- Warden / Ruff: **${ratio(wardenAll, ruff, 'wallMs')}** wall, ${ratio(wardenAll, ruff, 'scanMs')} scan.`,
      `- Warden on ${ALL_THREADS} threads / on one: ${ratio(wardenAll, warden, 'wallMs')} wall, ${ratio(wardenAll, warden, 'cpuMs')} CPU.`,
    );
  if (bandit)
    lines.push(
      '',
      '*CPU time against Bandit (whole process, every thread):*',
      `- Warden on one thread / Bandit: ${againstTarget(ratioOf(warden, bandit, 'cpuMs'), 0.2)}.`,
      `- Warden on ${ALL_THREADS} threads / Bandit: ${againstTarget(ratioOf(wardenAll, bandit, 'cpuMs'), 0.2)}.`,
      `- tree-sitter floor / Bandit: ${ratio(floor, bandit, 'cpuMs')}.`,
    );
  const noTaint = find(rows, 'warden-no-taint', 1);
  if (noTaint)
    lines.push('', `- Taint on / taint off: ${againstTarget(ratioOf(warden, noTaint, 'scanMs'), 1.5)} scan.`);
  return lines;
}

/** Everything one run of the benchmarks measured, for BENCHMARKS.md. */
interface BenchResults {
  sections: { corpus: Corpus; files: string[]; rows: Measurement[] }[];
  /** The version of Debian's Bandit that ran, if it is installed. */
  bandit: string | undefined;
  startUp: StartUp;
  scaling: Measurement[];
  latency: DiffLatency;
  profile: ProfileEntry[];
  /** The API calls per pull request, or why they could not be measured. */
  prCosts: PullRequestCost[] | string;
}

function render({ sections, bandit, startUp, scaling, latency, profile, prCosts }: BenchResults): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const out: string[] = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}.`,
    `Each subject runs in its own process, ${RUNS} times, interleaved; figures are medians with [min–max]. These machines are shared and noisy: compare the ratios, measured in the same run, rather than the absolute times.`,
    '',
    '*Wall* is the whole process as a user runs it (start-up, loading rules or the Ruff wasm module, reading files); *scan* is the time inside the process from the first file to the last; *CPU* is user plus system time of the whole process, every thread included. With more than one thread, worker threads take the files one at a time, as `warden scan` does.',
    '',
    bandit
      ? `Bandit is Debian's \`bandit\` ${bandit}, run on the same file list. On Python 3.11 that version never runs its string-based checks (B104, B105, B108, B608), so its findings are not comparable, but it does parse and walk every file with its other plugins, which makes it a fair peer for speed. Bandit 1.9 could not be installed here (no access to PyPI or GitHub).`
      : "Bandit is left out: `bandit` is not installed (`apt-get install -y bandit` adds Debian's 1.6.2).",
    '',
  ];
  for (const { corpus, files, rows } of sections) {
    const bytes = rows[0]?.bytes ?? 0;
    out.push(
      `## ${corpus.name}: ${files.length} files, ${mb(bytes)} MB`,
      '',
      '| subject | threads | wall s | scan s | CPU s | files/s (wall) | MB/s (wall) | peak RSS MiB | findings |',
      '|---|---|---|---|---|---|---|---|---|',
      ...measurementRows(rows),
      '',
      ...ratioLines(rows),
      '',
    );
  }
  out.push(
    '## Start-up',
    '',
    `\`warden scan one_file.py\` in a small git repository, as a pre-commit hook runs it, against a bare \`node -e 0\`; whole process, ${startUp.runs} runs each, interleaved.`,
    '',
    `- \`node -e 0\`: ${describeStats(startUp.bareNodeMs, 1, 0)} ms; \`warden scan one_file.py\`: ${describeStats(startUp.wardenMs, 1, 0)} ms.`,
    `- Warden / bare Node: ${againstTarget(median(startUp.wardenMs.values) / median(startUp.bareNodeMs.values), 2)}.`,
    '',
  );
  out.push(
    '## Diff-scoped latency',
    '',
    `A one-line change (a new \`subprocess.run(..., shell=True)\` statement at its end) in the largest stdlib file, \`${latency.file.split('/').slice(-2).join('/')}\` (${latency.lines} lines, ${mb(latency.bytes)} MB): local diff, whole-file scan with every rule and taint, and the touched-slice filter, in a warm process.`,
    '',
    `- ${describeStats(latency.fullScanMs, 1, 1)} ms from file content to findings (target at most 100 ms); ${latency.findingsInSlice} finding(s) on the touched line.`,
    '',
  );
  out.push(
    '## Scaling with corpus size (stdlib: ¼, ½, whole, one thread)',
    '',
    '| subject | files | MB | scan s | ms per MB | peak RSS MiB |',
    '|---|---|---|---|---|---|',
  );
  for (const m of scaling) {
    const scanSeconds = median(m.scanMs.values) / 1000;
    out.push(
      `| ${SUBJECT_NAMES[m.subject]} | ${m.files} | ${mb(m.bytes)} | ${describeStats(m.scanMs, 1000, 2)} | ${((scanSeconds * 1000) / (m.bytes / 1024 / 1024)).toFixed(0)} | ${describeStats(m.rssMiB, 1, 0)} |`,
    );
  }
  out.push(
    '',
    'Time per MB staying flat as the corpus doubles means the scan is linear in the size of the code; memory stays bounded because trees are released between files.',
    '',
  );
  out.push(
    '## Where Warden spends its time',
    '',
    'The ten functions with the most self time in a CPU profile (`node --cpu-prof`) of Warden on one thread over the stdlib, idle time left out. Self time includes the native calls a function makes.',
    '',
    '| function | self ms | share |',
    '|---|---|---|',
    ...profile.map(
      (entry) => `| \`${entry.name}\` | ${entry.selfMs.toFixed(0)} | ${(entry.share * 100).toFixed(1)}% |`,
    ),
    '',
  );
  out.push('## Per-PR cost through the local GitHub simulator', '');
  if (typeof prCosts === 'string') out.push(prCosts, '');
  else {
    out.push(
      'Files `added` have no base version; files `modified` are scanned twice, at the head and at the merge base',
      '(rebuilt from the patch), so the difference between the two rows of a size is the cost of the base comparison.',
      '',
      '| changed files | change | throttling | GitHub API calls | wall s |',
      '|---|---|---|---|---|',
    );
    for (const cost of prCosts)
      out.push(
        `| ${cost.files} | ${cost.change} | ${cost.throttled ? 'on (real spacing between writes)' : 'off'} | ${cost.apiCalls} | ${(cost.wallMs / 1000).toFixed(2)} |`,
      );
    out.push('');
  }
  out.push(
    '## Reproduce',
    '',
    '```sh',
    'npm ci',
    'apt-get install -y python3-django bandit   # optional: the Django corpus and Bandit as a peer',
    'npm run bench                               # BENCH_RUNS=N to change the number of runs',
    '```',
    '',
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const bandit = banditVersion();
  if (!bandit) process.stderr.write('bench: bandit not found; install it (apt-get install -y bandit) to include it\n');
  const peers: Contender[] = [
    { subject: 'ruff', threads: 1 },
    { subject: 'floor', threads: 1 },
    ...(ALL_THREADS > 1 ? [{ subject: 'floor' as const, threads: ALL_THREADS }] : []),
    ...(bandit ? [{ subject: 'bandit' as const, threads: 1 }] : []),
  ];
  const wardens: Contender[] = [
    { subject: 'warden', threads: 1 },
    ...(ALL_THREADS > 1 ? [{ subject: 'warden' as const, threads: ALL_THREADS }] : []),
  ];
  const sections: { corpus: Corpus; files: string[]; rows: Measurement[] }[] = [];
  for (const corpus of corpora((message) => process.stderr.write(`bench: ${message}\n`))) {
    const files = pythonFiles(corpus);
    const contenders: Contender[] =
      corpus.root === stdlibCorpus().root
        ? [...wardens, { subject: 'warden-no-taint', threads: 1 }, ...peers]
        : [...wardens, ...peers];
    sections.push({ corpus, files, rows: await measure(corpus.name, files, contenders) });
  }
  const stdlib = sections[0];
  const scaling: Measurement[] = [];
  const oneThread = (m: Measurement) => (m.subject === 'warden' || m.subject === 'floor') && m.threads === 1;
  for (const [label, step] of [
    ['¼', 4],
    ['½', 2],
  ] as const) {
    const subset = stdlib.files.filter((_, index) => index % step === 0);
    scaling.push(
      ...(await measure(`stdlib ${label}`, subset, [
        { subject: 'warden', threads: 1 },
        { subject: 'floor', threads: 1 },
      ])),
    );
  }
  scaling.push(...stdlib.rows.filter(oneThread));
  scaling.sort((a, b) => a.subject.localeCompare(b.subject) || a.bytes - b.bytes);
  const startUp = await measureStartUp();
  const latency = await diffScopedLatency(stdlib.files);
  const profile = await profileWarden(stdlib.files);
  const prCosts = await measurePullRequestCost();
  writeFileSync(OUTPUT, render({ sections, bandit, startUp, scaling, latency, profile, prCosts }));
  const rows = stdlib.rows;
  process.stdout.write(
    `One thread: Warden/floor ${ratio(find(rows, 'warden', 1), find(rows, 'floor', 1), 'wallMs')} wall, Warden/Ruff ${ratio(find(rows, 'warden', 1), find(rows, 'ruff', 1), 'wallMs')} wall; Warden/Bandit ${ratio(find(rows, 'warden', ALL_THREADS), find(rows, 'bandit', 1), 'cpuMs')} CPU. Wrote BENCHMARKS.md\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
