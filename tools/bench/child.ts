/**
 * One benchmark run in its own process: `node build/tools/bench/child.js SUBJECT FILE_LIST [THREADS]`.
 * Prints one JSON line: files, bytes, findings, scan time, CPU time and peak RSS. The parent
 * measures the whole process's wall time around it. With THREADS above 1, that many worker
 * threads take the files one at a time from a shared counter, as `warden scan` does.
 */
import { readFileSync } from 'node:fs';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type Parser from 'tree-sitter';
import { tuneV8ForScans, scanBytes } from '../../src/engine/index.js';
import { parsePython } from '../../src/engine/parser.js';
import { decodePythonSource } from '../../src/engine/source.js';
import { walkTree } from '../../src/engine/walk.js';
import { allRules } from '../../src/rules/index.js';

export type Subject = 'warden' | 'warden-no-taint' | 'ruff' | 'floor' | 'bandit';

export interface ChildResult {
  subject: Subject;
  threads: number;
  files: number;
  bytes: number;
  findings: number;
  /** Syntax nodes walked (floor only). */
  nodes: number;
  scanMs: number;
  /** User plus system CPU time of the whole process, every thread included. */
  cpuMs: number;
  maxRssMiB: number;
}

type Counts = Pick<ChildResult, 'files' | 'bytes' | 'findings' | 'nodes'>;

interface WorkerInput {
  subject: Subject;
  files: string[];
  /** Int32 shared by the workers: the index of the next file to take. */
  next: SharedArrayBuffer;
}

const MAX_FILE_BYTES = 4 * 1024 * 1024;
const PARSE_TIMEOUT_MS = 10_000;
/** Tree-sitter's binding frees trees only when the event loop turns (FACTS.md): yield this often. */
const YIELD_EVERY = 8;

type FileScanner = (path: string, bytes: Buffer) => { findings: number; nodes: number };

/**
 * Parse plus one full walk that reads every node's type, as a dispatching engine must: the
 * least any tree-sitter engine can do. Uses the engine's own walker. Returns the nodes walked.
 */
function walkAll(tree: Parser.Tree): number {
  let nodes = 0;
  const types = new Set<string>();
  walkTree(tree, {
    enter(cursor) {
      nodes++;
      types.add(cursor.nodeType);
    },
  });
  return nodes;
}

async function scannerFor(subject: Subject): Promise<FileScanner> {
  switch (subject) {
    case 'warden':
    case 'warden-no-taint': {
      // As the engine pool of `warden scan` and the app does.
      tuneV8ForScans();
      const options = {
        rules: allRules,
        maxFileBytes: MAX_FILE_BYTES,
        parseTimeoutMs: PARSE_TIMEOUT_MS,
        taint: subject === 'warden',
      };
      return (path, bytes) => ({ findings: scanBytes(path, bytes, options).findings.length, nodes: 0 });
    }
    case 'floor':
      return (_path, bytes) => {
        const decoded = decodePythonSource(bytes);
        if (decoded.kind !== 'text') return { findings: 0, nodes: 0 };
        return { findings: 0, nodes: walkAll(parsePython(decoded.text, PARSE_TIMEOUT_MS)) };
      };
    case 'ruff': {
      const { default: ruff } = await import('@astral-sh/ruff-wasm-nodejs');
      const workspace = new ruff.Workspace({ lint: { select: ['S'] } }, ruff.PositionEncoding.Utf16);
      return (_path, bytes) => {
        const decoded = decodePythonSource(bytes);
        if (decoded.kind !== 'text') return { findings: 0, nodes: 0 };
        const diagnostics = workspace.check(decoded.text) as { code: string | null }[];
        return { findings: diagnostics.filter((d) => d.code && d.code !== 'invalid-syntax').length, nodes: 0 };
      };
    }
    case 'bandit':
      throw new Error('Bandit runs as a Python process of its own (see main.ts)');
  }
}

/** Scans the files this thread takes from `next` until none are left. */
async function scanShare(subject: Subject, files: readonly string[], next: Int32Array): Promise<Counts> {
  const scan = await scannerFor(subject);
  const counts: Counts = { files: 0, bytes: 0, findings: 0, nodes: 0 };
  for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) {
    const bytes = readFileSync(files[index]);
    const found = scan(files[index], bytes);
    counts.files++;
    counts.bytes += bytes.length;
    counts.findings += found.findings;
    counts.nodes += found.nodes;
    if (counts.files % YIELD_EVERY === 0) await turnEventLoop();
  }
  return counts;
}

function inWorkers(input: WorkerInput, threads: number): Promise<Counts[]> {
  const script = new URL(import.meta.url);
  return Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<Counts>((resolve, reject) => {
          const worker = new Worker(script, { workerData: input });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
}

async function main(): Promise<void> {
  const [subject, listFile, threadArg] = process.argv.slice(2) as [Subject, string, string | undefined];
  if (!subject || !listFile) throw new Error('usage: child.js SUBJECT FILE_LIST [THREADS]');
  const threads = Math.max(1, Number(threadArg ?? 1));
  const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  const next = new SharedArrayBuffer(4);
  const started = performance.now();
  const shares =
    threads === 1
      ? [await scanShare(subject, files, new Int32Array(next))]
      : await inWorkers({ subject, files, next }, threads);
  const result: ChildResult = {
    subject,
    threads,
    files: 0,
    bytes: 0,
    findings: 0,
    nodes: 0,
    scanMs: 0,
    cpuMs: 0,
    maxRssMiB: 0,
  };
  for (const share of shares) {
    result.files += share.files;
    result.bytes += share.bytes;
    result.findings += share.findings;
    result.nodes += share.nodes;
  }
  result.scanMs = performance.now() - started;
  const usage = process.resourceUsage();
  result.cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  result.maxRssMiB = usage.maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (isMainThread) {
  main().catch((error: Error) => {
    process.stderr.write(`bench child: ${error.message}\n`);
    process.exit(2);
  });
} else {
  const input = workerData as WorkerInput;
  void scanShare(input.subject, input.files, new Int32Array(input.next)).then((counts) =>
    parentPort!.postMessage(counts),
  );
}
