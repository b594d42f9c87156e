/**
 * `npm run bench`: Warden side by side with Ruff's `S` rules and the tree-sitter floor on real
 * code, each in its own process over several runs, as medians with min and max. Writes
 * BENCHMARKS.md. Exits non-zero only when it could not run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { diffTexts } from '../../diff/patch.js';
import { scanSource } from '../../engine/index.js';
import { allRules } from '../../rules/index.js';
import { corpora, pythonFiles, stdlibCorpus, type Corpus } from '../support/corpus.js';
import type { ChildResult, Subject } from './child.js';
import { measurePullRequestCost, type PullRequestCost } from './pr-cost.js';
import { describeStats, median, type Stats, stats } from './stats.js';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./child.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const OUTPUT = join(repositoryRoot, 'BENCHMARKS.md');

interface Measurement {
  subject: Subject;
  corpus: string;
  files: number;
  bytes: number;
  findings: number;
  wallMs: Stats;
  scanMs: Stats;
  rssMiB: Stats;
}

const SUBJECT_NAMES: Record<Subject, string> = {
  warden: 'Warden (all rules, taint on)',
  'warden-no-taint': 'Warden (all rules, taint off)',
  ruff: 'Ruff `S` rules (ruff-wasm)',
  floor: 'tree-sitter parse + one full walk (floor)',
};

async function runChild(subject: Subject, listFile: string): Promise<{ wallMs: number; result: ChildResult }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [childScript, subject, listFile], { maxBuffer: 1 << 20 });
  return { wallMs: performance.now() - started, result: JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult };
}

/** Each subject in its own process, interleaved run by run so that machine noise hits all alike. */
async function measure(corpusName: string, files: string[], subjects: Subject[]): Promise<Measurement[]> {
  const listFile = join(mkdtempSync(join(tmpdir(), 'warden-bench-')), 'files.txt');
  writeFileSync(listFile, files.join('\n'));
  const samples = new Map<Subject, { wall: number[]; scan: number[]; rss: number[]; last?: ChildResult }>(
    subjects.map((s) => [s, { wall: [], scan: [], rss: [] }]),
  );
  for (let i = 0; i < RUNS; i++) {
    for (const subject of subjects) {
      const { wallMs, result } = await runChild(subject, listFile);
      const sample = samples.get(subject)!;
      sample.wall.push(wallMs);
      sample.scan.push(result.scanMs);
      sample.rss.push(result.maxRssMiB);
      sample.last = result;
      process.stderr.write(`bench: ${corpusName} ${subject} run ${i + 1}/${RUNS}: ${(wallMs / 1000).toFixed(2)} s\n`);
    }
  }
  return subjects.map((subject) => {
    const sample = samples.get(subject)!;
    const last = sample.last!;
    return {
      subject,
      corpus: corpusName,
      files: last.files,
      bytes: last.bytes,
      findings: last.findings,
      wallMs: stats(sample.wall),
      scanMs: stats(sample.scan),
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

/** A one-line change in the largest stdlib file, from file content to the findings on touched lines. */
function diffScopedLatency(files: string[]): DiffLatency {
  const largest = files.map((path) => ({ path, size: readFileSync(path).length })).sort((a, b) => b.size - a.size)[0]!;
  const before = readFileSync(largest.path, 'utf8');
  // Appended as a statement of its own: the middle of a file may be inside a string literal.
  const after = `${before.replace(/\n?$/, '\n')}import subprocess; subprocess.run(user_command, shell=True)\n`;
  const lines = after.split('\n');
  const timings: number[] = [];
  let findingsInSlice = 0;
  for (let i = 0; i < 12; i++) {
    const started = performance.now();
    const touched = diffTexts(before, after).touchedLines;
    const { findings } = scanSource(largest.path, after, { rules: allRules, parseTimeoutMs: 10_000 });
    findingsInSlice = findings.filter((f) => touched.has(f.line)).length;
    timings.push(performance.now() - started);
  }
  // The first runs include JIT warm-up, which a long-running app pays once.
  return {
    file: largest.path,
    lines: lines.length,
    bytes: Buffer.byteLength(after),
    fullScanMs: stats(timings.slice(2)),
    findingsInSlice,
  };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function measurementRows(rows: Measurement[]): string[] {
  return rows.map((m) => {
    const seconds = median(m.wallMs.values) / 1000;
    return `| ${SUBJECT_NAMES[m.subject]} | ${describeStats(m.wallMs, 1000, 2)} | ${describeStats(m.scanMs, 1000, 2)} | ${(m.files / seconds).toFixed(0)} | ${(m.bytes / 1024 / 1024 / seconds).toFixed(2)} | ${describeStats(m.rssMiB, 1, 0)} | ${m.findings} |`;
  });
}

function ratio(rows: Measurement[], a: Subject, b: Subject, field: 'wallMs' | 'scanMs'): string {
  const x = rows.find((m) => m.subject === a);
  const y = rows.find((m) => m.subject === b);
  return x && y ? `${(median(x[field].values) / median(y[field].values)).toFixed(2)}×` : 'n/a';
}

function render(
  sections: { corpus: Corpus; files: string[]; rows: Measurement[] }[],
  scaling: Measurement[],
  latency: DiffLatency,
  prCosts: PullRequestCost[] | string,
): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const out: string[] = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpu}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}.`,
    `Each subject runs in its own process, ${RUNS} times, interleaved; figures are medians with [min–max]. These machines are shared and noisy: compare the ratios, measured in the same run, rather than the absolute times.`,
    '',
    '*Wall* is the whole process as a user runs it (start-up, loading rules or the Ruff wasm module, reading files); *scan* is the time inside the process from the first file to the last.',
    '',
  ];
  for (const { corpus, files, rows } of sections) {
    const bytes = rows[0]?.bytes ?? 0;
    out.push(
      `## ${corpus.name}: ${files.length} files, ${mb(bytes)} MB`,
      '',
      '| subject | wall s | scan s | files/s (wall) | MB/s (wall) | peak RSS MiB | findings |',
      '|---|---|---|---|---|---|---|',
      ...measurementRows(rows),
      '',
    );
    out.push(
      `- Warden / Ruff: **${ratio(rows, 'warden', 'ruff', 'wallMs')}** wall, ${ratio(rows, 'warden', 'ruff', 'scanMs')} scan.`,
      `- Warden / tree-sitter floor: **${ratio(rows, 'warden', 'floor', 'wallMs')}** wall, ${ratio(rows, 'warden', 'floor', 'scanMs')} scan.`,
    );
    if (rows.some((m) => m.subject === 'warden-no-taint'))
      out.push(
        `- Taint on / taint off: **${ratio(rows, 'warden', 'warden-no-taint', 'scanMs')}** scan (the target is at most 1.5×).`,
      );
    out.push('');
  }
  out.push(
    '## Diff-scoped latency',
    '',
    `A one-line change (a new \`subprocess.run(..., shell=True)\` statement at its end) in the largest stdlib file, \`${latency.file.split('/').slice(-2).join('/')}\` (${latency.lines} lines, ${mb(latency.bytes)} MB): local diff, whole-file scan with every rule and taint, and the touched-slice filter, in a warm process.`,
    '',
  );
  out.push(
    `- ${describeStats(latency.fullScanMs, 1, 1)} ms from file content to findings; ${latency.findingsInSlice} finding(s) on the touched line.`,
    '',
  );
  out.push(
    '## Scaling with corpus size (stdlib: ¼, ½, whole)',
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
    'apt-get install -y python3-django   # optional: adds the Django corpus',
    'npm run bench                        # BENCH_RUNS=N to change the number of runs',
    '```',
    '',
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const sections: { corpus: Corpus; files: string[]; rows: Measurement[] }[] = [];
  for (const corpus of corpora((message) => process.stderr.write(`bench: ${message}\n`))) {
    const files = pythonFiles(corpus);
    const subjects: Subject[] =
      corpus.root === stdlibCorpus().root
        ? ['warden', 'warden-no-taint', 'ruff', 'floor']
        : ['warden', 'ruff', 'floor'];
    sections.push({ corpus, files, rows: await measure(corpus.name, files, subjects) });
  }
  const stdlib = sections[0]!;
  const scaling: Measurement[] = [];
  for (const [label, step] of [
    ['¼', 4],
    ['½', 2],
  ] as const) {
    const subset = stdlib.files.filter((_, index) => index % step === 0);
    scaling.push(...(await measure(`stdlib ${label}`, subset, ['warden', 'floor'])));
  }
  scaling.push(...stdlib.rows.filter((m) => m.subject === 'warden' || m.subject === 'floor'));
  scaling.sort((a, b) => a.subject.localeCompare(b.subject) || a.bytes - b.bytes);
  const latency = diffScopedLatency(stdlib.files);
  const prCosts = await measurePullRequestCost();
  writeFileSync(OUTPUT, render(sections, scaling, latency, prCosts));
  const rows = stdlib.rows;
  process.stdout.write(
    `Warden/Ruff ${ratio(rows, 'warden', 'ruff', 'wallMs')} wall; Warden/floor ${ratio(rows, 'warden', 'floor', 'wallMs')} wall; taint on/off ${ratio(rows, 'warden', 'warden-no-taint', 'scanMs')} scan. Wrote BENCHMARKS.md\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
