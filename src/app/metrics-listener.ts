import { createServer, type Server } from 'node:http';
import type { WardenMetrics } from '../ops/metrics.js';
import type { ScanQueue } from '../queue/types.js';
import type { ScanJob } from '../scan/types.js';

/** Where Prometheus scrapes: its own port, never the public webhook port (9464 is the usual exporter port). */
export interface MetricsAddress {
  host: string;
  port: number;
}

export const DEFAULT_METRICS_PORT = 9464;

/** `METRICS_HOST` (default localhost) and `METRICS_PORT` (default 9464). */
export function metricsAddressFrom(env: NodeJS.ProcessEnv): MetricsAddress {
  const port = Number(env.METRICS_PORT || DEFAULT_METRICS_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`METRICS_PORT must be a port number (1-65535), not ${JSON.stringify(env.METRICS_PORT)}`);
  return { host: env.METRICS_HOST || 'localhost', port };
}

/**
 * Serves `/metrics` alone on its own address, so the webhook port, which faces the internet,
 * tells nobody about installations, queue depth or API use.
 */
export async function listenForMetrics(
  address: MetricsAddress,
  metrics: WardenMetrics,
  queue: ScanQueue<ScanJob>,
): Promise<Server> {
  const server = createServer((request, response) => {
    if ((request.url ?? '/').split('?')[0] !== '/metrics') return void response.writeHead(404).end();
    void queue
      .depth()
      .then((depth) => metrics.queueDepth.set(depth))
      .catch(() => undefined)
      .then(() => metrics.registry.metrics())
      .then((body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`cannot serve /metrics on ${address.host}:${address.port}: ${error.message}`)),
    );
    server.listen(address.port, address.host, resolve);
  });
  return server;
}
