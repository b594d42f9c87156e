import type { GitHubClient } from './client.js';

/** One attempt in the app's webhook delivery log. */
export interface HookDelivery {
  /** This attempt's id: what a redelivery request names. */
  id: number;
  /** The `X-GitHub-Delivery` id, shared by a delivery and its redeliveries. */
  guid: string;
  deliveredAt: Date;
  /** The app answered 2xx in time. */
  ok: boolean;
  event: string;
  action: string | undefined;
}

interface DeliveryJson {
  id: number;
  guid: string;
  delivered_at: string;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
}

/**
 * The app's deliveries since `since`, newest first, at most `maxPages` pages of 100. Needs an
 * Octokit authenticated as the app (JWT), not as an installation.
 */
export async function listDeliveriesSince(
  appOctokit: GitHubClient,
  since: Date,
  maxPages = 10,
): Promise<HookDelivery[]> {
  const deliveries: HookDelivery[] = [];
  let pages = 0;
  for await (const { data } of appOctokit.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })) {
    for (const delivery of data as DeliveryJson[]) {
      const deliveredAt = new Date(delivery.delivered_at);
      if (deliveredAt < since) return deliveries;
      deliveries.push({
        id: delivery.id,
        guid: delivery.guid,
        deliveredAt,
        ok: delivery.status === 'OK' || (delivery.status_code >= 200 && delivery.status_code < 300),
        event: delivery.event,
        action: delivery.action ?? undefined,
      });
    }
    if (++pages >= maxPages) break;
  }
  return deliveries;
}

/** Asks GitHub to send one delivery attempt again (it answers 202 and delivers in the background). */
export async function requestRedelivery(appOctokit: GitHubClient, attemptId: number): Promise<void> {
  await appOctokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: attemptId });
}
