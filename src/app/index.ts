import type { Probot } from 'probot';
import type { ScanQueue } from '../queue/types.js';
import { scanRequestFrom, SCANNED_PULL_REQUEST_EVENTS } from './pull-request.js';

export interface WardenAppOptions {
  /** Where scan requests go; a worker (in this process or another) consumes them. */
  queue: ScanQueue;
}

/**
 * Builds the Probot app: thin handlers that validate an event, turn it into a scan request and
 * enqueue it. Nothing is fetched and nothing is scanned here, so GitHub gets its answer at once.
 */
export function createWardenApp(options: WardenAppOptions): (app: Probot) => void {
  return (app: Probot) => {
    app.on([...SCANNED_PULL_REQUEST_EVENTS], async (context) => {
      const request = scanRequestFrom(context);
      if (!request) {
        context.log.warn({ deliveryId: context.id }, 'pull_request event without an installation; ignored');
        return;
      }
      try {
        const outcome = await options.queue.enqueue(request);
        context.log.info({ deliveryId: context.id, repo: `${request.repo.owner}/${request.repo.repo}`, pr: request.pullNumber, sha: request.headSha, outcome }, 'scan requested');
      } catch (error) {
        // The process never dies on a bad event.
        context.log.error({ err: error, deliveryId: context.id }, 'cannot enqueue the scan');
      }
    });
  };
}
