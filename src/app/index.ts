import type { Probot } from 'probot';
import type { AnyRule } from '../engine/rule.js';
import { runScan } from '../scan/pipeline.js';
import { InlineScanQueue, type ScanQueue } from '../scan/queue.js';
import { scanRequestFrom, SCANNED_PULL_REQUEST_EVENTS } from './pull-request.js';

export interface WardenAppOptions {
  /** Where scan requests go; by default each scan runs in the webhook's own handler. */
  queue?: ScanQueue;
  /** The rule registry to scan with (default: every rule). */
  rules?: readonly AnyRule[];
}

/** Builds the Probot app: thin handlers that turn events into scan requests and enqueue them. */
export function createWardenApp(options: WardenAppOptions = {}): (app: Probot) => void {
  return (app: Probot) => {
    const queue =
      options.queue ??
      new InlineScanQueue(async (request) =>
        runScan(request, { octokit: await app.auth(request.installationId), logger: app.log, ...(options.rules ? { rules: options.rules } : {}) }),
      );

    app.on([...SCANNED_PULL_REQUEST_EVENTS], async (context) => {
      const request = scanRequestFrom(context);
      if (!request) {
        context.log.warn({ deliveryId: context.id }, 'pull_request event without an installation; ignored');
        return;
      }
      try {
        await queue.enqueue(request);
      } catch (error) {
        // The process never dies on a bad event; the scan itself already ends its check run.
        context.log.error({ err: error, deliveryId: context.id }, 'cannot enqueue the scan');
      }
    });
  };
}

export default createWardenApp();
