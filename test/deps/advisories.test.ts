import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { checkManifests } from '../../src/deps/check.js';
import { OsvFileSource } from '../../src/deps/osv.js';
import { GithubAdvisorySource } from '../../src/github/advisories.js';

const octokit = new Octokit({ auth: 'test-token', request: { retries: 0 } });
const graphql = octokit.graphql as unknown as ConstructorParameters<typeof GithubAdvisorySource>[0];

function vulnerability(ghsaId: string, range: string, patched: string | null, severity = 'HIGH') {
  return {
    advisory: {
      ghsaId,
      summary: `Issue ${ghsaId}`,
      severity,
      permalink: `https://github.com/advisories/${ghsaId}`,
      identifiers: [
        { type: 'GHSA', value: ghsaId },
        { type: 'CVE', value: `CVE-2024-${ghsaId.slice(-4)}` },
      ],
      withdrawnAt: null,
    },
    vulnerableVersionRange: range,
    firstPatchedVersion: patched ? { identifier: patched } : null,
  };
}

/** Answers every aliased `securityVulnerabilities` field from a table of package → nodes. */
function answerFrom(table: Record<string, ReturnType<typeof vulnerability>[]>) {
  return (_uri: string, body: nock.Body) => {
    const query = (body as { query: string }).query;
    const data: Record<string, unknown> = {};
    for (const match of query.matchAll(/(p\d+): securityVulnerabilities\(ecosystem: PIP, package: "([^"]+)"/g)) {
      data[match[1]] = { nodes: table[match[2]] ?? [], pageInfo: { hasNextPage: false, endCursor: null } };
    }
    return { data };
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const DJANGO = {
  django: [
    vulnerability('GHSA-aaaa-bbbb-0001', '>= 3.2, < 3.2.19', '3.2.19'),
    vulnerability('GHSA-aaaa-bbbb-0002', '< 3.2.25', '3.2.25', 'MODERATE'),
  ],
};

describe('dependency advisories', () => {
  it('flags a vulnerable pin on a touched line and suggests the patched version', async () => {
    nock('https://api.github.com')
      .post('/graphql', (body) => body.query.includes('package: "django"'))
      .reply(200, answerFrom(DJANGO));
    const text = 'flask==3.0.0\ndjango==3.2.1  # web\n';
    const result = await checkManifests([{ path: 'requirements.txt', text, touchedLines: new Set([2]) }], {
      advisories: new GithubAdvisorySource(graphql),
      requirePins: false,
    });
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ ruleId: 'vulnerable-dependency', line: 2, severity: 'high', confidence: 'high' });
    expect(finding.message).toContain('GHSA-aaaa-bbbb-0001 (CVE-2024-0001) and 1 more advisory');
    expect(finding.message).toContain('first patched in 3.2.25');
    expect(finding.fix?.edits).toEqual([{ startLine: 2, endLine: 2, replacement: 'django==3.2.25  # web' }]);
  });

  it('reports nothing for a pin at the patched version', async () => {
    nock('https://api.github.com').post('/graphql').reply(200, answerFrom(DJANGO));
    const result = await checkManifests([{ path: 'requirements.txt', text: 'django==3.2.25\n' }], {
      advisories: new GithubAdvisorySource(graphql),
      requirePins: false,
    });
    expect(result.findings).toEqual([]);
  });

  it('checks a range by the lowest version it allows and keeps markers working', async () => {
    nock('https://api.github.com').post('/graphql').reply(200, answerFrom(DJANGO));
    const text = 'django>=3.2.20,<4 ; python_version >= "3.8"\nrequests<3\n';
    const result = await checkManifests([{ path: 'requirements.txt', text }], {
      advisories: new GithubAdvisorySource(graphql),
      requirePins: true,
    });
    const vulnerable = result.findings.filter((f) => f.ruleId === 'vulnerable-dependency');
    expect(vulnerable).toHaveLength(1);
    expect(vulnerable[0]).toMatchObject({ line: 1, confidence: 'medium' });
    expect(vulnerable[0].message).toContain('allows 3.2.20');
    expect(vulnerable[0].fix?.edits[0]!.replacement).toBe('django>=3.2.25,<4 ; python_version >= "3.8"');
    expect(result.findings.filter((f) => f.ruleId === 'unpinned-dependency').map((f) => f.line)).toEqual([1, 2]);
  });

  it('needs a bounded number of calls for a lock file with hundreds of packages, and none when cached', async () => {
    const names = Array.from({ length: 300 }, (_, i) => `pkg${i}`);
    const lock = names.map((name) => `[[package]]\nname = "${name}"\nversion = "1.0.0"\n`).join('\n');
    let calls = 0;
    nock('https://api.github.com')
      .post('/graphql')
      .times(8)
      .reply(200, (uri, body) => {
        calls++;
        return answerFrom({ pkg7: [vulnerability('GHSA-cccc-dddd-0007', '< 1.0.1', '1.0.1')] })(uri, body);
      });
    const source = new GithubAdvisorySource(graphql);
    const result = await checkManifests([{ path: 'poetry.lock', text: lock }], {
      advisories: source,
      requirePins: false,
    });
    expect(calls).toBe(Math.ceil(300 / 40));
    expect(result.findings.map((f) => [f.line, f.fix])).toEqual([[7 * 4 + 3, undefined]]);
    const again = await checkManifests([{ path: 'poetry.lock', text: lock }], {
      advisories: source,
      requirePins: false,
    });
    expect(again.findings).toHaveLength(1);
    expect(calls).toBe(8);
    nock.cleanAll();
  });

  it('follows pagination for packages with more than 100 advisories', async () => {
    const page1 = {
      data: {
        p0: {
          nodes: [vulnerability('GHSA-eeee-ffff-0001', '< 1.0', '1.0')],
          pageInfo: { hasNextPage: true, endCursor: 'CUR' },
        },
      },
    };
    const page2 = {
      data: {
        p0: {
          nodes: [vulnerability('GHSA-eeee-ffff-0002', '< 2.5', '2.5')],
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      },
    };
    nock('https://api.github.com')
      .post('/graphql', (b) => !b.query.includes('after:'))
      .reply(200, page1);
    nock('https://api.github.com')
      .post('/graphql', (b) => b.query.includes('after: "CUR"'))
      .reply(200, page2);
    const advisories = await new GithubAdvisorySource(graphql).lookup(['big']);
    expect(advisories.get('big')!.map((a) => a.id)).toEqual(['GHSA-eeee-ffff-0001', 'GHSA-eeee-ffff-0002']);
  });

  it('reports a malformed manifest as a note and says when no advisory source is configured', async () => {
    const result = await checkManifests(
      [
        { path: 'pyproject.toml', text: '[project\n' },
        { path: 'requirements.txt', text: 'django==3.2.1\nflask >>= 2\n' },
      ],
      { requirePins: false },
    );
    expect(result.findings).toEqual([]);
    expect(result.notes.map((n) => n.message)).toEqual([
      expect.stringMatching(/cannot parse the pyproject manifest/),
      expect.stringMatching(/invalid version specifier/),
      expect.stringMatching(/advisories were not checked/),
    ]);
  });
});

describe('OSV advisory files', () => {
  it('reads an array, a single record or a folder, and matches PyPI ranges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-osv-'));
    const record = {
      id: 'PYSEC-2021-1',
      aliases: ['GHSA-1111-2222-3333', 'CVE-2021-0001'],
      summary: 'Jinja2 sandbox escape',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'Jinja2' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.11.3' }] }],
        },
      ],
      database_specific: { severity: 'MODERATE' },
    };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(record));
    writeFileSync(
      join(dir, 'b.json'),
      JSON.stringify([
        {
          ...record,
          id: 'PYSEC-2',
          aliases: [],
          affected: [{ package: { ecosystem: 'npm', name: 'jinja2' }, ranges: [] }],
        },
      ]),
    );
    const source = await OsvFileSource.load(dir);
    const result = await checkManifests([{ path: 'requirements.txt', text: 'jinja2==2.10\n' }], {
      advisories: source,
      requirePins: false,
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ severity: 'medium' });
    expect(result.findings[0].message).toContain('GHSA-1111-2222-3333 (CVE-2021-0001)');
    expect(result.findings[0].fix?.edits[0]!.replacement).toBe('jinja2==2.11.3');
    const single = join(dir, 'a.json');
    expect((await (await OsvFileSource.load(single)).lookup(['jinja2'])).get('jinja2')).toHaveLength(1);
  });
});
