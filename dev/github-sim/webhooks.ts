import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface WebhookExample {
  name: string;
  examples: Record<string, unknown>[];
}

let examples: WebhookExample[] | undefined;

/** GitHub's own example deliveries, the base every simulated payload starts from. */
function webhookExamples(): WebhookExample[] {
  if (!examples) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@octokit/webhooks-examples/api.github.com/index.json');
    examples = JSON.parse(readFileSync(path, 'utf8')) as WebhookExample[];
  }
  return examples;
}

function example(event: string, action: string): Record<string, unknown> {
  const found = webhookExamples()
    .find((entry) => entry.name === event)
    ?.examples.find((candidate) => candidate.action === action);
  if (!found) throw new Error(`no example payload for ${event}.${action}`);
  return structuredClone(found);
}

/**
 * A payload in the shape of GitHub's example for `event.action`, with the given top-level
 * fields replaced; nested objects named in `merge` are merged over the example's so fields the
 * simulator does not model keep realistic values.
 */
export function buildPayload(
  event: string,
  action: string,
  fields: Record<string, unknown>,
  merge: string[] = [],
): Record<string, unknown> {
  const base = example(event, action);
  const payload: Record<string, unknown> = { ...base, ...fields, action };
  for (const key of merge) {
    payload[key] = { ...(base[key] as Record<string, unknown>), ...(fields[key] as Record<string, unknown>) };
  }
  return payload;
}

export function signatureFor(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface Delivery {
  /** The `X-GitHub-Delivery` guid; a redelivery keeps it. */
  id: string;
  /** This attempt's number in the app's delivery log (`GET /app/hook/deliveries`); set when it is recorded. */
  attemptId?: number;
  /** Sent again from the delivery log rather than by an event. */
  redelivery?: boolean;
  event: string;
  action: string | undefined;
  status: number;
  /** The receiver's answer, or the network error text. */
  response: string;
  at: number;
  /** How long the receiver took to answer; GitHub gives up after 10 s. */
  durationMs: number;
  /** What was sent, so the delivery can be sent again as GitHub's "Redeliver" does. */
  payload: Record<string, unknown>;
  installationId: number;
}

export interface DeliveryOptions {
  /** Overrides the signature header, to test that forged deliveries are refused. */
  signature?: string;
  /** Reuses a delivery id, as GitHub's "redeliver" does. */
  deliveryId?: string;
  /** Recorded as a redelivery in the app's delivery log. */
  redelivery?: boolean;
}

/** Where webhooks go: the app's URL, the secret they are signed with, and the installation they are for. */
export interface WebhookReceiver {
  url: string;
  secret: string;
  installationId: number;
}

/** POSTs one webhook the way GitHub's hookshot does. */
export async function sendWebhook(
  { url, secret, installationId }: WebhookReceiver,
  { event, payload }: { event: string; payload: Record<string, unknown> },
  options: DeliveryOptions = {},
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = options.deliveryId ?? randomUUID();
  const at = Date.now();
  const action = typeof payload.action === 'string' ? payload.action : undefined;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/sim',
        'x-github-event': event,
        'x-github-delivery': id,
        'x-github-hook-id': '1',
        'x-github-hook-installation-target-type': 'integration',
        'x-github-hook-installation-target-id': String(installationId),
        'x-hub-signature-256': options.signature ?? signatureFor(secret, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return {
      id,
      event,
      action,
      status: response.status,
      response: await response.text(),
      at,
      durationMs: Date.now() - at,
      payload,
      installationId,
    };
  } catch (error) {
    return {
      id,
      event,
      action,
      status: 0,
      response: (error as Error).message,
      at,
      durationMs: Date.now() - at,
      payload,
      installationId,
    };
  }
}
