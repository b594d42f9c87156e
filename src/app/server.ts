import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createNodeMiddleware, createProbot, run } from 'probot';
import wardenApp from './index.js';

/**
 * Starts Warden. With credentials it serves the webhook endpoint plus `/healthz` (the process is
 * up) and `/readyz` (the webhook middleware is loaded). Without them, outside production, Probot's
 * own server runs its setup page, which registers the app from `app.yml`.
 */
async function main(): Promise<void> {
  const hasCredentials = Boolean(process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH));
  if (!hasCredentials) {
    await run(wardenApp);
    return;
  }
  const probot = createProbot();
  let ready = false;
  const middlewarePromise = createNodeMiddleware(wardenApp, { probot, webhooksPath: process.env.WEBHOOK_PATH ?? '/api/github/webhooks' });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (path === '/readyz') return void response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready' : 'starting');
    void middlewarePromise.then((middleware) =>
      middleware(request, response, () => {
        response.writeHead(404).end();
      }),
    );
  });
  await middlewarePromise;
  ready = true;
  const port = Number(process.env.PORT) || 3000;
  const host = process.env.HOST ?? 'localhost';
  server.listen(port, host, () => probot.log.info({ host, port }, 'Warden is listening'));
  const shutDown = () => {
    ready = false;
    server.close(() => process.exit(0));
  };
  process.on('SIGTERM', shutDown);
  process.on('SIGINT', shutDown);
}

main().catch((error: unknown) => {
  process.stderr.write(`Warden could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
