import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileResult } from '../engine/scan-source.js';
import { rulesById } from '../rules/index.js';
import { scanFile, type FileScanSettings, type ScanTarget } from './scan-file.js';

/** Tree-sitter frees a tree only when the event loop turns, so a sequential scan yields this often. */
const FILES_BETWEEN_YIELDS = 8;
/** Below this many files, starting threads costs more than it saves. */
const PARALLEL_THRESHOLD = 32;
const MAX_WORKERS = 2;

/** The settings a worker rebuilds its rules from: rule objects hold functions, which cannot cross threads. */
export type WorkerSettings = Omit<FileScanSettings, 'rules'> & { ruleIds: string[] };

// Only the compiled CLI has the worker as a .js file; under ts-jest the scan stays in-process.
const workerScript = new URL('./scan-worker.js', import.meta.url);
const canUseWorkers = import.meta.url.endsWith('.js') && existsSync(fileURLToPath(workerScript));

async function scanSequentially(targets: readonly ScanTarget[], settings: FileScanSettings): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const [index, target] of targets.entries()) {
    if (index % FILES_BETWEEN_YIELDS === FILES_BETWEEN_YIELDS - 1) await new Promise(setImmediate);
    results.push(await scanFile(target, settings));
  }
  return results;
}

function scanInWorkers(
  targets: readonly ScanTarget[],
  settings: FileScanSettings,
  workerCount: number,
): Promise<FileResult[]> {
  const { rules, ...rest } = settings;
  const workerData: WorkerSettings = { ...rest, ruleIds: rules.map((rule) => rule.id) };
  return new Promise((resolve, reject) => {
    const results = new Array<FileResult>(targets.length);
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    const stopAll = () => workers.forEach((worker) => void worker.terminate());
    for (let i = 0; i < workerCount; i++) {
      const worker = new Worker(workerScript, { workerData });
      workers.push(worker);
      const feed = () => {
        if (next < targets.length) {
          const index = next++;
          worker.postMessage({ index, target: targets[index] });
        }
      };
      worker.on('message', (message: { index: number; result: FileResult }) => {
        results[message.index] = message.result;
        if (++finished === targets.length) {
          stopAll();
          resolve(results);
        } else {
          feed();
        }
      });
      worker.on('error', (error) => {
        stopAll();
        reject(error);
      });
      feed();
    }
  });
}

/** Scans every target, on two worker threads when there are enough files and cores; results keep the targets' order. */
export function scanTargets(targets: readonly ScanTarget[], settings: FileScanSettings): Promise<FileResult[]> {
  const workerCount = Math.min(MAX_WORKERS, availableParallelism());
  // Workers can only rebuild registered rules.
  const registered = settings.rules.every((rule) => rulesById.get(rule.id) === rule);
  if (!canUseWorkers || !registered || workerCount < 2 || targets.length < PARALLEL_THRESHOLD)
    return scanSequentially(targets, settings);
  return scanInWorkers(targets, settings, workerCount);
}
