import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Workspace } from './workspace.js';

/** What a GitHub GraphQL endpoint answers for one vulnerable jinja2 pin. */
const ADVISORY_ANSWER = {
  data: {
    p0: {
      nodes: [
        {
          advisory: {
            ghsaId: 'GHSA-g3rq-g295-4j3m',
            summary: 'Regular Expression Denial of Service (ReDoS) in Jinja2',
            severity: 'HIGH',
            permalink: 'https://github.com/advisories/GHSA-g3rq-g295-4j3m',
            identifiers: [{ type: 'CVE', value: 'CVE-2020-28493' }],
            withdrawnAt: null,
          },
          vulnerableVersionRange: '< 2.11.3',
          firstPatchedVersion: { identifier: '2.11.3' },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  },
};

interface Seen {
  url: string;
  host: string | undefined;
  authorization: string | undefined;
}

/** A server that answers every request as GitHub's GraphQL API would, and records it. */
async function graphqlServer(): Promise<{ server: Server; seen: Seen[]; tunnels: string[]; url: string }> {
  const seen: Seen[] = [];
  const tunnels: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      seen.push({ url: request.url!, host: request.headers.host, authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ADVISORY_ANSWER));
    });
  });
  // As a proxy: CONNECT opens a tunnel (undici tunnels every request), and what comes through it is
  // answered by the same server, so the tunnelled request is recorded like a direct one.
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    tunnels.push(request.url!);
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    server.emit('connection', socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, tunnels, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const ENV_KEYS = [
  'GITHUB_TOKEN',
  'GITHUB_API_URL',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];
let saved: Record<string, string | undefined>;
let proxy: Awaited<ReturnType<typeof graphqlServer>>;
let direct: Awaited<ReturnType<typeof graphqlServer>>;
let workspace: Workspace;

beforeAll(async () => {
  proxy = await graphqlServer();
  direct = await graphqlServer();
});
afterAll(() => {
  proxy.server.close();
  direct.server.close();
});
beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  for (const key of ENV_KEYS) delete process.env[key];
  process.env.GITHUB_TOKEN = 'ghs_test';
  for (const server of [proxy, direct]) {
    server.seen.length = 0;
    server.tunnels.length = 0;
  }
  workspace = new Workspace().write('requirements.txt', 'jinja2==2.10\n');
});
afterEach(() => {
  for (const key of ENV_KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  workspace.dispose();
});

const scan = async () => {
  const { code, stdout, stderr } = await workspace.warden('scan', '--format', 'json');
  const report = JSON.parse(stdout) as { findings: { ruleId: string; line: number }[] };
  return { code, stderr, findings: report.findings.map((finding) => `${finding.ruleId}:${finding.line}`) };
};

describe("warden scan's advisory lookups on corporate networks", () => {
  it('ask the GitHub Enterprise Server API that GITHUB_API_URL names, through HTTP_PROXY', async () => {
    process.env.GITHUB_API_URL = 'http://ghes.example.test/api/v3/';
    process.env.HTTP_PROXY = proxy.url;
    const { code, stderr, findings } = await scan();
    expect({ code, stderr, findings }).toEqual({ code: 1, stderr: '', findings: ['vulnerable-dependency:1'] });
    // GraphQL lives at /api/graphql on GitHub Enterprise Server.
    expect(proxy.tunnels).toEqual(['ghes.example.test:80']);
    expect(proxy.seen).toEqual([{ url: '/api/graphql', host: 'ghes.example.test', authorization: 'token ghs_test' }]);
    expect(direct.seen).toEqual([]);
  });

  it('go straight to a host NO_PROXY names', async () => {
    process.env.GITHUB_API_URL = `${direct.url}/api/v3`;
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '127.0.0.1';
    expect((await scan()).findings).toEqual(['vulnerable-dependency:1']);
    expect(direct.seen.map((request) => request.url)).toEqual(['/api/graphql']);
    expect(proxy.tunnels).toEqual([]);
  });
});
