import { parentPort, workerData } from 'node:worker_threads';
import { allRules } from '../rules/index.js';
import type { WorkerSettings } from './parallel.js';
import { scanFile, type ScanTarget } from './scan-file.js';

/** A worker thread of the parallel scan: scans each file it is sent and posts the result back. */
const settings = workerData as WorkerSettings;
const enabled = new Set(settings.ruleIds);
const rules = allRules.filter((rule) => enabled.has(rule.id));

parentPort!.on('message', (message: { index: number; target: ScanTarget }) => {
  void scanFile(message.target, { ...settings, rules }).then((result) =>
    parentPort!.postMessage({ index: message.index, result }),
  );
});
