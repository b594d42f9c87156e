import { parentPort } from 'node:worker_threads';
import type { AnyRule } from '../engine/rule.js';
import { rulesById } from '../rules/index.js';
import { scanOnThisThread, type WorkerJob, type WorkerReply } from './engine-pool.js';

/** A thread of the engine pool: scans each file it is sent, under the deadline that comes with it. */
const ruleSets = new Map<string, AnyRule[]>();

function rulesFor(ids: readonly string[]): AnyRule[] {
  const key = ids.join(',');
  let rules = ruleSets.get(key);
  if (!rules) {
    rules = ids.flatMap((id) => rulesById.get(id) ?? []);
    ruleSets.set(key, rules);
  }
  return rules;
}

parentPort!.on('message', (job: WorkerJob) => {
  const result = scanOnThisThread(
    {
      path: job.path,
      bytes: job.bytes,
      rules: rulesFor(job.ruleIds),
      ruleOptions: job.ruleOptions,
      maxFileBytes: job.maxFileBytes,
      ...(job.parseTimeoutMs !== undefined ? { parseTimeoutMs: job.parseTimeoutMs } : {}),
      budgetMs: job.deadline - Date.now(),
    },
    job.deadline,
  );
  const reply: WorkerReply = { id: job.id, result };
  parentPort!.postMessage(reply);
});
