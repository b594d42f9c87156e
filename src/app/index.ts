import type { Probot } from 'probot';
import { appIdentityOnce, type AppIdentity } from '../github/identity.js';
import { QueueUnavailableError, type ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';
import type { MarkerKey } from '../report/markers.js';
import type { ScanRequest } from '../scan/types.js';
import { onCheckRun, onCheckSuite } from './check-run-events.js';
import { markerKeyFrom } from './secrets.js';
import { onIssueComment } from './commands.js';
import { configRescanLimit, onPush } from './config-push.js';
import { mergeGroupScanRequest } from './merge-group.js';
import { scanRequestFrom, SCANNED_PULL_REQUEST_EVENTS } from './pull-request.js';
import { Rescans, rescanCooldownMs } from './rescan.js';
import { onReviewCommentReply } from './triage.js';

export interface WardenAppOptions {
  /** Where scan requests go; a worker (in this process or another) consumes them. */
  queue: ScanQueue<ScanJob>;
  /** This app's id, to act only on its own check runs; default `APP_ID` from the environment. */
  appId?: number;
  /** Minimum time between two rescans of one pull request; default `WARDEN_RESCAN_COOLDOWN_SECONDS`, else 30 s. */
  rescanCooldownMs?: number;
  /** Who the app is on GitHub; default: asked of GitHub once (`GET /app`). */
  identity?: () => Promise<AppIdentity>;
  /** Signs and verifies the state in Warden's comments; default from the environment (`markerKeyFrom`). */
  markerKey?: MarkerKey;
  /** How many open pull requests a config change rescans; default `WARDEN_CONFIG_RESCAN_LIMIT`, else 30. */
  configRescanLimit?: number;
}

/** What the handlers that enqueue scans read of an event. */
interface EventContext {
  id: string;
  name: string;
  log: {
    info(details: object, message: string): void;
    warn(details: object, message: string): void;
    error(details: object, message: string): void;
  };
}

/**
 * A delivery whose scan could not be queued is answered 503, so GitHub records it as failed and
 * the redelivery of failed deliveries (`FailedDeliveries`) sends it again once the queue is back.
 */
function refuseWhenQueueUnavailable(error: unknown): void {
  if (error instanceof QueueUnavailableError) throw Object.assign(new Error(error.message), { status: 503 });
}

/**
 * Builds the Probot app: thin handlers that validate an event, turn it into a scan request and
 * enqueue it. No scan runs here, so GitHub gets its answer at once.
 */
export function createWardenApp(options: WardenAppOptions): (app: Probot) => void {
  return (app: Probot) => {
    const rescans = new Rescans(options.queue, options.rescanCooldownMs ?? rescanCooldownMs());
    const appId = options.appId ?? Number(process.env.APP_ID);
    const own = {
      identity: options.identity ?? appIdentityOnce(async () => await app.auth()),
      markerKey: options.markerKey ?? markerKeyFrom(process.env),
    };

    const enqueue = async (context: EventContext, request: ScanRequest | undefined): Promise<void> => {
      if (!request) {
        context.log.warn({ deliveryId: context.id }, `${context.name} event without an installation; ignored`);
        return;
      }
      try {
        const outcome = await options.queue.enqueue(request);
        context.log.info(
          {
            deliveryId: context.id,
            repo: `${request.repo.owner}/${request.repo.repo}`,
            ...(request.mergeGroup ? { mergeGroup: request.mergeGroup.headRef } : { pr: request.pullNumber }),
            sha: request.headSha,
            outcome,
          },
          'scan requested',
        );
      } catch (error) {
        // The process never dies on a bad event.
        context.log.error({ err: error, deliveryId: context.id }, 'cannot enqueue the scan');
        refuseWhenQueueUnavailable(error);
      }
    };
    app.on([...SCANNED_PULL_REQUEST_EVENTS], (context) => enqueue(context, scanRequestFrom(context)));
    app.on('merge_group.checks_requested', (context) => enqueue(context, mergeGroupScanRequest(context)));

    // Conversation handlers talk to GitHub (permission checks, reactions): an API error is logged,
    // never thrown back at the webhook.
    const guarded =
      <C extends { id: string; name: string; log: { error(details: object, message: string): void } }>(
        handler: (context: C) => Promise<void>,
      ) =>
      async (context: C) => {
        try {
          await handler(context);
        } catch (error) {
          context.log.error({ err: error, deliveryId: context.id, event: context.name }, 'cannot handle the event');
          refuseWhenQueueUnavailable(error);
        }
      };
    app.on(
      'issue_comment.created',
      guarded((context) => onIssueComment(context, { rescans, own })),
    );
    app.on(
      'pull_request_review_comment.created',
      guarded((context) => onReviewCommentReply(context, own)),
    );
    app.on(
      ['check_run.rerequested', 'check_run.requested_action'],
      guarded((context) => onCheckRun(context, { rescans, appId, queue: options.queue })),
    );
    app.on(
      'check_suite.rerequested',
      guarded((context) => onCheckSuite(context, { rescans, appId, queue: options.queue })),
    );
    const limit = options.configRescanLimit ?? configRescanLimit();
    app.on(
      'push',
      guarded((context) => onPush(context, { queue: options.queue, limit })),
    );
  };
}
