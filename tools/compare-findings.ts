/**
 * Pins the engine's findings across a change that must not alter them (a faster node model, a
 * new walker, a refactoring of the scan core): capture the JSON findings of one build on the
 * CPython stdlib and Django, capture them again after the change, and diff the two.
 *
 *   node build/tools/compare-findings.js capture OUT_DIR [--cli dist/cli/main.js]
 *   node build/tools/compare-findings.js diff BEFORE_DIR AFTER_DIR
 *
 * `capture` runs `warden scan --format json` (the built CLI, or the one given, e.g. another
 * checkout's build) once per corpus with the corpus root as working directory, so that paths do
 * not depend on the machine. `diff` prints every finding that appears, disappears or changes, and
 * any change in skipped files, parse errors or rule errors; it exits 1 when there is one.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Finding } from '../src/engine/types.js';
import type { ScanReport, ScanStats } from '../src/report/json.js';
import { corpora as listCorpora, pythonFiles, type Corpus } from './support/corpus.js';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A report as captured: without its duration, which differs on every run. */
type CapturedReport = Omit<ScanReport, 'stats'> & { stats: Omit<ScanStats, 'durationMs'> };

function corpora(): (Corpus & { files: string[] })[] {
  return listCorpora((message) => process.stderr.write(`compare-findings: ${message}\n`)).map((corpus) => ({
    ...corpus,
    files: pythonFiles(corpus).map((path) => relative(corpus.root, path)),
  }));
}

function fileNameOf(corpusName: string): string {
  return `${corpusName.replace(/[^\w.]+/g, '-').toLowerCase()}.json`;
}

/** `warden scan` exits 1 when it finds something; the report is on stdout either way. */
function reportOnStdout(error: unknown): { stdout: string } {
  if (error instanceof Error && 'stdout' in error && typeof error.stdout === 'string' && error.stdout.startsWith('{'))
    return { stdout: error.stdout };
  throw error;
}

async function capture(outDir: string, cli: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const corpus of corpora()) {
    const started = Date.now();
    const output = await run(process.execPath, [cli, 'scan', '--format', 'json', ...corpus.files], {
      cwd: corpus.root,
      maxBuffer: 1 << 30,
    }).catch(reportOnStdout);
    const report = JSON.parse(output.stdout) as ScanReport;
    const { durationMs: _durationMs, ...stats } = report.stats;
    const captured: CapturedReport = { ...report, stats };
    writeFileSync(join(outDir, fileNameOf(corpus.name)), `${JSON.stringify(captured, null, 1)}\n`);
    process.stderr.write(
      `compare-findings: ${corpus.name}: ${corpus.files.length} files, ${report.findings.length} findings, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
}

function findingKey(finding: Finding): string {
  return [finding.path, finding.line, finding.column, finding.endLine, finding.endColumn, finding.ruleId].join(':');
}

function byKey(findings: readonly Finding[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const finding of findings) {
    const key = findingKey(finding);
    map.set(key, [...(map.get(key) ?? []), JSON.stringify(finding)]);
  }
  return map;
}

const COMPARED_STATS = ['files', 'skipped', 'parseErrors', 'parseErrorFiles', 'incomplete', 'notes'] as const;

function diffReports(name: string, before: CapturedReport, after: CapturedReport): number {
  const lines: string[] = [];
  const left = byKey(before.findings);
  const right = byKey(after.findings);
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(key) ?? [];
    const b = right.get(key) ?? [];
    for (const text of a) if (!b.includes(text)) lines.push(`- ${text}`);
    for (const text of b) if (!a.includes(text)) lines.push(`+ ${text}`);
  }
  for (const field of COMPARED_STATS) {
    const a = JSON.stringify(before.stats[field]);
    const b = JSON.stringify(after.stats[field]);
    if (a !== b) lines.push(`stats.${field}: ${a} → ${b}`);
  }
  process.stdout.write(
    `${name}: ${before.findings.length} findings before, ${after.findings.length} after, ${lines.length} difference(s)\n`,
  );
  for (const line of lines) process.stdout.write(`  ${line}\n`);
  return lines.length;
}

function diff(beforeDir: string, afterDir: string): number {
  let differences = 0;
  for (const corpus of corpora()) {
    const file = fileNameOf(corpus.name);
    const read = (dir: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as CapturedReport;
    differences += diffReports(corpus.name, read(beforeDir), read(afterDir));
  }
  return differences;
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'capture' && args[0]) {
    const cliFlag = args.indexOf('--cli');
    const cli = resolve(cliFlag === -1 ? join(repositoryRoot, 'dist/cli/main.js') : args[cliFlag + 1]);
    await capture(resolve(args[0]), cli);
  } else if (command === 'diff' && args[0] && args[1]) {
    process.exitCode = diff(resolve(args[0]), resolve(args[1])) > 0 ? 1 : 0;
  } else {
    process.stderr.write(
      'usage: compare-findings.js capture OUT_DIR [--cli CLI] | compare-findings.js diff BEFORE_DIR AFTER_DIR\n',
    );
    process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `compare-findings: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});
