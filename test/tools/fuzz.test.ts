import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { allRules } from '../../src/rules/index.js';
import { EnginePool } from '../../src/scan/engine-pool.js';
import { pythonFiles, stdlibCorpus } from '../../tools/support/corpus.js';
import { describeCampaign, runCampaign } from '../../tools/fuzz/campaign.js';
import { KNOWN_VULNERABILITY, withKnownVulnerability } from '../../tools/fuzz/python-cases.js';

describe('the fuzz campaign', () => {
  test('counts the line of the appended vulnerability as the engine does', () => {
    expect(withKnownVulnerability(Buffer.from('a = 1\r\nb = 2')).line).toBe(4);
    expect(withKnownVulnerability(Buffer.from('')).line).toBe(2);
    expect(KNOWN_VULNERABILITY.split('\n')[1]).toContain('system(');
  });

  // A fixed seed: the same 200 cases every run; `npm run fuzz` runs thousands on worker threads.
  test('200 hostile files and diffs: no crash, no silent pass, nothing late and unreported', async () => {
    const stdlib = stdlibCorpus();
    const corpus = pythonFiles(stdlib)
      .filter((_, index) => index % 20 === 0)
      .map((path) => ({ path: relative(stdlib.root, path), text: readFileSync(path, 'utf8') }));
    const pool = new EnginePool(1);
    const report = await runCampaign({
      cases: 200,
      seed: 20261207,
      budgetMs: 10_000,
      corpus,
      concurrency: 1,
      scan: (job) => pool.scan({ ...job, rules: allRules, ruleOptions: {}, maxFileBytes: 4 * 1024 * 1024 }),
    });
    const described = describeCampaign(report, 'jest');
    expect({ crashes: report.crashes, silentPasses: report.silentPasses, late: report.lateFiles }).toEqual({
      crashes: [],
      silentPasses: [],
      late: [],
    });
    expect(report.pythonCases + report.diffCases).toBe(200);
    expect(described).toContain('| crashes and uncaught exceptions | 0 |');
  }, 600_000);
});
