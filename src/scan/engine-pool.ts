import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnyRule } from '../engine/rule.js';
import { tuneV8ForScans } from '../engine/v8-tuning.js';
import { scanBytes, type FileResult } from '../engine/scan-source.js';
import { rulesById } from '../rules/index.js';

/** One file for the engine, with the time it may take. */
export interface FileScanJob {
  /** The path reports show. */
  path: string;
  bytes: Uint8Array;
  rules: readonly AnyRule[];
  ruleOptions: Record<string, Record<string, unknown>>;
  maxFileBytes: number;
  parseTimeoutMs?: number;
  /** Milliseconds this file may take once its scan starts. */
  budgetMs: number;
  /** When the whole scan must be over (a `Date.now()` timestamp): a file that starts late gets what is left. */
  scanDeadline?: number;
  /**
   * Scan on the calling thread even where threads are available: for a front-end with nothing
   * else to serve and too little work for a thread to pay for its start (see `threadsPayFor`).
   */
  onCallingThread?: boolean;
}

/**
 * Below this much source in all, a run is scanned on the calling thread. Starting a worker and
 * loading the engine in it costs about as much CPU as scanning half a megabyte, and one file
 * cannot be shared between two threads anyway.
 */
const THREADS_PAY_FROM_BYTES = 512 * 1024;

/**
 * Whether worker threads pay for a run of these files. `sizeOf` (bytes) is asked one file at a
 * time, and only until the answer is known: a large run stops at the first half megabyte, and a
 * run of one file is never measured.
 */
export async function threadsPayFor<F>(files: readonly F[], sizeOf: (file: F) => Promise<number>): Promise<boolean> {
  if (files.length < 2) return false;
  let bytes = 0;
  for (const file of files) {
    bytes += await sizeOf(file);
    if (bytes >= THREADS_PAY_FROM_BYTES) return true;
  }
  return false;
}

/** What crosses into a worker thread: rules hold functions, so they travel as ids. */
export interface WorkerJob {
  id: number;
  path: string;
  bytes: Uint8Array;
  ruleIds: string[];
  ruleOptions: Record<string, Record<string, unknown>>;
  maxFileBytes: number;
  parseTimeoutMs?: number;
  deadline: number;
}

export interface WorkerReply {
  id: number;
  result: FileResult;
}

/**
 * A worker past its deadline is given this long to notice it (the engine looks at the clock
 * inside its long loops) before it is abandoned: a rule visit that never returns cannot hold
 * a scan, or a webhook, hostage.
 */
const STOP_GRACE_MS = 3000;

// Only compiled code has the worker as a .js file; under ts-jest scans run on the calling thread.
const workerScript = new URL('./scan-worker.js', import.meta.url);
const canUseWorkers = import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerScript));

function incompleteResult(path: string, reason: string): FileResult {
  return { path, findings: [], notes: [], ruleErrors: [], incomplete: reason };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Scans one file on the calling thread, under the same deadline a worker would honour. */
export function scanOnThisThread(job: FileScanJob, deadline: number): FileResult {
  try {
    return scanBytes(job.path, job.bytes, {
      rules: job.rules,
      ruleOptions: job.ruleOptions,
      maxFileBytes: job.maxFileBytes,
      parseTimeoutMs: job.parseTimeoutMs,
      deadline,
    });
  } catch (error) {
    // The engine itself failed (not one rule): nothing in the file can be vouched for.
    return incompleteResult(job.path, `the engine failed on this file: ${(error as Error).message}`);
  }
}

interface Running {
  job: WorkerJob;
  resolve: (result: FileResult) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  running: Running | undefined;
}

/**
 * The engine's threads, shared by the App's pipeline and the CLI: scans run off the event
 * loop, so webhooks, `/healthz` and queue locks are served while a hostile file is scanned,
 * and a worker that overruns its deadline is replaced.
 */
export class EnginePool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { job: WorkerJob; resolve: (result: FileResult) => void }[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly size = Math.min(2, availableParallelism())) {}

  /** True when files go to worker threads (compiled code); otherwise they are scanned on this thread. */
  static get threaded(): boolean {
    return canUseWorkers;
  }

  /** Scans one file; never rejects: a file that cannot be scanned in time comes back incomplete. */
  async scan(job: FileScanJob): Promise<FileResult> {
    const started = Date.now();
    const deadline = Math.min(started + job.budgetMs, job.scanDeadline ?? Infinity);
    if (deadline <= started)
      return incompleteResult(job.path, 'the time budget of the whole scan ran out before this file was scanned');
    // Workers rebuild rules from the registry; rules made elsewhere (tests) can only run here.
    const registered = job.rules.every((rule) => rulesById.get(rule.id) === rule);
    if (!canUseWorkers || !registered || this.closed || job.onCallingThread === true) {
      // Tree-sitter frees trees only when the event loop turns.
      await turnEventLoop();
      return scanOnThisThread(job, Math.min(Date.now() + job.budgetMs, job.scanDeadline ?? Infinity));
    }
    return new Promise((resolve) => {
      this.waiting.push({
        job: {
          id: this.nextId++,
          path: job.path,
          bytes: job.bytes,
          ruleIds: job.rules.map((rule) => rule.id),
          ruleOptions: job.ruleOptions,
          maxFileBytes: job.maxFileBytes,
          ...(job.parseTimeoutMs !== undefined ? { parseTimeoutMs: job.parseTimeoutMs } : {}),
          // Relative until the job starts: time spent queued behind other files is not this file's.
          deadline: Math.min(job.budgetMs, (job.scanDeadline ?? Infinity) - started),
        },
        resolve,
      });
      this.dispatch();
    });
  }

  /** Starts every thread ahead of the first file: loading the engine in a thread takes a moment of CPU. */
  warm(): void {
    if (!canUseWorkers) return;
    while (this.spawn());
  }

  /** Stops the idle workers now and the busy ones when their file is done; queued files come back incomplete. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { resolve, job } of this.waiting.splice(0))
      resolve(incompleteResult(job.path, 'the scan was stopped before this file'));
    await Promise.all(this.slots.filter((slot) => !slot.running).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.slots.find((candidate) => !candidate.running) ?? this.spawn();
      if (!slot) return;
      const { job, resolve } = this.waiting.shift()!;
      const budget = job.deadline;
      const startedJob: WorkerJob = { ...job, deadline: Date.now() + budget };
      slot.running = {
        job: startedJob,
        resolve,
        timer: setTimeout(() => this.abandon(slot, budget), budget + STOP_GRACE_MS),
      };
      slot.worker.ref();
      slot.worker.postMessage(startedJob);
    }
  }

  private spawn(): Slot | undefined {
    if (this.slots.length >= this.size) return undefined;
    const slot: Slot = { worker: new Worker(workerScript), running: undefined };
    // An idle pool must not keep the process alive.
    slot.worker.unref();
    slot.worker.on('message', (reply: WorkerReply) => {
      if (slot.running?.job.id === reply.id) this.finish(slot, reply.result);
      if (this.closed) void slot.worker.terminate();
      else this.dispatch();
    });
    slot.worker.on('error', (error) => this.replace(slot, `the scan worker failed: ${error.message}`));
    slot.worker.on('exit', () => this.replace(slot, 'the scan worker exited'));
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, result: FileResult): void {
    const running = slot.running;
    if (!running) return;
    clearTimeout(running.timer);
    slot.running = undefined;
    // An idle pool must not keep the process alive.
    slot.worker.unref();
    running.resolve(result);
  }

  /**
   * A worker stuck past its deadline. Terminating a thread while it is inside tree-sitter's
   * native binding aborts the whole process (the binding throws a C++ exception that nothing
   * catches), so the worker is abandoned instead: its file is reported incomplete at once, a
   * fresh worker takes its place, and the old one is terminated as soon as it is back in its
   * message loop, which the engine's own deadline checks make a matter of moments.
   */
  private abandon(slot: Slot, budgetMs: number): void {
    const worker = slot.worker;
    worker.removeAllListeners();
    worker.on('error', () => {});
    worker.once('message', () => void worker.terminate());
    this.retire(
      slot,
      `the scan overran its ${seconds(budgetMs)} time budget and was abandoned; nothing in this file was reported`,
    );
  }

  /** A worker that died (an error, an exit) is replaced; its file is reported incomplete. */
  private replace(slot: Slot, reason: string): void {
    slot.worker.removeAllListeners();
    // A late 'error' from a dead worker must not become an uncaught exception.
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
    this.retire(slot, reason);
  }

  private retire(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    const running = slot.running;
    slot.running = undefined;
    if (running) {
      clearTimeout(running.timer);
      running.resolve(incompleteResult(running.job.path, reason));
    }
    if (!this.closed) this.dispatch();
  }
}

let shared: EnginePool | undefined;

/** The process's one pool: every scan shares the same two threads, so concurrency never oversubscribes the cores. */
export function sharedEnginePool(): EnginePool {
  if (!shared) {
    // The process that hosts the scan threads is the one whose memory and compiler the scans load.
    tuneV8ForScans();
    shared = new EnginePool();
  }
  return shared;
}
