import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Workspace } from './workspace.js';

let workspace: Workspace;
beforeEach(() => {
  workspace = new Workspace();
});
afterEach(() => workspace.dispose());

const OSV = JSON.stringify([
  {
    id: 'PYSEC-2021-66',
    aliases: ['GHSA-g3rq-g295-4j3m', 'CVE-2020-28493'],
    summary: 'Jinja2 ReDoS in the urlize filter',
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'Jinja2' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.11.3' }] }],
      },
    ],
    database_specific: { severity: 'MODERATE' },
  },
]);

describe('warden scan: dependency manifests', () => {
  it('checks pins against an offline OSV file and reports the patched version', async () => {
    workspace.write('requirements.txt', 'flask==2.3.3\njinja2==2.10\n').write('advisories.json', OSV);
    const { code, stdout, stderr } = await workspace.warden(
      'scan',
      '--advisories',
      'advisories.json',
      '--format',
      'json',
      // A moderate advisory is a medium finding: under the default `fail_on` (high) it would exit 0.
      '--fail-on',
      'medium',
    );
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as {
      findings: {
        ruleId: string;
        path: string;
        line: number;
        message: string;
        fix?: { edits: { replacement: string }[] };
      }[];
    };
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ ruleId: 'vulnerable-dependency', path: 'requirements.txt', line: 2 });
    expect(report.findings[0].message).toContain('GHSA-g3rq-g295-4j3m (CVE-2020-28493)');
    expect(report.findings[0].fix?.edits[0]!.replacement).toBe('jinja2==2.11.3');
  });

  it('finds the manifests the App checks, by the same names and the same excludes', async () => {
    workspace
      .write('dev-requirements.txt', 'jinja2==2.10\n')
      .write('service/Requirements.txt', 'jinja2==2.10\n')
      .write('vendor/requirements.txt', 'jinja2==2.10\n')
      .write('.github/warden.yml', 'paths:\n  exclude: ["vendor/**"]\n')
      .write('advisories.json', OSV);
    const { stdout } = await workspace.warden('scan', '--advisories', 'advisories.json', '--format', 'json');
    const report = JSON.parse(stdout) as { findings: { ruleId: string; path: string }[] };
    expect(report.findings.map((finding) => [finding.ruleId, finding.path])).toEqual([
      ['vulnerable-dependency', 'dev-requirements.txt'],
      ['vulnerable-dependency', 'service/Requirements.txt'],
    ]);
  });

  it('says clearly that advisories were skipped without GITHUB_TOKEN or --advisories', async () => {
    const token = process.env.GITHUB_TOKEN;
    delete process.env.GITHUB_TOKEN;
    try {
      workspace.write('requirements.txt', 'jinja2==2.10\n');
      const { code, stderr } = await workspace.warden('scan');
      expect(code).toBe(0);
      expect(stderr).toContain('dependency pins were not checked against advisories');
    } finally {
      if (token !== undefined) process.env.GITHUB_TOKEN = token;
    }
  });

  it('flags unpinned requirements when the config asks for pins, and only on lines a diff touched', async () => {
    workspace
      .initRepository()
      .write('requirements.txt', 'flask==2.3.3\n')
      .write('.github/warden.yml', 'dependencies:\n  require_pins: true\n')
      .commitAll('base');
    workspace.write('requirements.txt', 'flask==2.3.3\nrequests>=2.0\n').write('advisories.json', OSV);
    const { stdout } = await workspace.warden(
      'scan',
      '--diff',
      'HEAD',
      '--advisories',
      'advisories.json',
      '--format',
      'json',
    );
    const report = JSON.parse(stdout) as { findings: { ruleId: string; line: number }[] };
    expect(report.findings.map((f) => [f.ruleId, f.line])).toEqual([['unpinned-dependency', 2]]);
  });

  it('reports an unreadable advisory file as a usage error', async () => {
    const { code, stderr } = await workspace.warden('scan', '--advisories', 'missing.json');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^warden: --advisories .*missing.json: ENOENT\n$/);
  });
});

describe('warden web / worker', () => {
  it('refuses to start without the App credentials', async () => {
    const saved = {
      APP_ID: process.env.APP_ID,
      PRIVATE_KEY: process.env.PRIVATE_KEY,
      PRIVATE_KEY_PATH: process.env.PRIVATE_KEY_PATH,
      WEBHOOK_SECRET: process.env.WEBHOOK_SECRET,
    };
    for (const name of Object.keys(saved)) delete process.env[name];
    try {
      const { code, stderr } = await workspace.warden('worker');
      expect(code).toBe(2);
      expect(stderr).toBe(
        'warden: the GitHub App needs APP_ID, WEBHOOK_SECRET, PRIVATE_KEY or PRIVATE_KEY_PATH (see .env.example)\n',
      );
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
  });
});
