import type { ScanRequest } from './types.js';

/**
 * The seam between webhook handlers and scans. Handlers only enqueue a plain request; whoever
 * consumes the queue builds the dependencies (an installation Octokit, a logger) and runs the scan.
 */
export interface ScanQueue {
  enqueue(request: ScanRequest): Promise<void>;
}

export type ScanWorker = (request: ScanRequest) => Promise<unknown>;

/** Runs each scan right away and waits for it: enough until scans move to a background worker. */
export class InlineScanQueue implements ScanQueue {
  constructor(private readonly worker: ScanWorker) {}

  async enqueue(request: ScanRequest): Promise<void> {
    await this.worker(request);
  }
}
