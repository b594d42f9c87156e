import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import { Probot } from 'probot';
import { githubClientOverrides } from '../../src/app/server.js';

/** A server that answers as GitHub would what the test asks of it, and records every request. */
async function githubServer(): Promise<{ server: Server; seen: string[]; tunnels: string[]; url: string }> {
  const seen: string[] = [];
  const tunnels: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      seen.push(`${request.method} ${request.url}`);
      const body = request.url!.endsWith('/access_tokens')
        ? { token: 'ghs_proxied', expires_at: '2099-01-01T00:00:00Z', permissions: {} }
        : request.url === '/graphql'
          ? { data: { viewer: { login: 'warden[bot]' } } }
          : { number: 2 };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  // As a proxy: CONNECT opens a tunnel, and what comes through it is answered by this same server.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    tunnels.push(request.url!);
    // This proxy speaks no TLS: a tunnel to an https:// host is refused once recorded.
    if (request.url!.endsWith(':443')) return void socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    server.emit('connection', socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, tunnels, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

let proxy: Awaited<ReturnType<typeof githubServer>>;
let github: Awaited<ReturnType<typeof githubServer>>;

beforeAll(async () => {
  proxy = await githubServer();
  github = await githubServer();
});
afterAll(() => {
  proxy.server.close();
  github.server.close();
});

/** An installation token, a REST call and a GraphQL call, as a scan makes them, with `env`'s settings. */
async function callGitHub(env: NodeJS.ProcessEnv): Promise<void> {
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: github.url,
    log: pino({ level: 'silent' }),
    ...(await githubClientOverrides(env)),
  });
  const octokit = await probot.auth(1);
  await octokit.rest.pulls.get({ owner: 'octo-org', repo: 'octo-repo', pull_number: 2 });
  await octokit.graphql('query { viewer { login } }');
}

const CALLS = ['POST /app/installations/1/access_tokens', 'GET /repos/octo-org/octo-repo/pulls/2', 'POST /graphql'];

describe("the App's GitHub calls", () => {
  test('go through HTTP_PROXY: tokens, REST and GraphQL (which advisory lookups use)', async () => {
    const before = { proxied: proxy.seen.length, direct: github.seen.length };
    await callGitHub({ HTTP_PROXY: proxy.url });
    expect(proxy.seen.slice(before.proxied)).toEqual(CALLS);
    expect(proxy.tunnels.at(-1)).toBe(new URL(github.url).host);
    expect(github.seen.length).toBe(before.direct);
  });

  test('to an https:// API open their tunnel through HTTPS_PROXY', async () => {
    const before = proxy.tunnels.length;
    // The test proxy refuses it, so the call fails; that it asked the proxy is the point.
    const { request } = await githubClientOverrides({ HTTPS_PROXY: proxy.url });
    await expect(request!.fetch!('https://ghes.example.test/api/v3/app', {})).rejects.toThrow();
    expect(proxy.tunnels.slice(before)).toEqual(['ghes.example.test:443']);
  });

  test('go straight to a host NO_PROXY names', async () => {
    const before = { proxied: proxy.seen.length, direct: github.seen.length };
    await callGitHub({ http_proxy: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });
    expect(github.seen.slice(before.direct)).toEqual(CALLS);
    expect(proxy.seen.length).toBe(before.proxied);
  });

  test("keep Probot's own fetch when no proxy is set", async () => {
    expect(await githubClientOverrides({ NO_PROXY: '*' })).toEqual({});
    const before = github.seen.length;
    await callGitHub({});
    expect(github.seen.slice(before)).toEqual(CALLS);
  });
});
