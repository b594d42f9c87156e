import { afterEach, describe, expect, test } from '@jest/globals';
import nock from 'nock';
import { readState } from '../../src/report/markers.js';
import { allRules } from '../../src/rules/index.js';
import {
  blob,
  createTestApp,
  GitHubMock,
  githubPatch,
  HEAD_SHA,
  type ListedFile,
  pullRequestPayload,
  useNock,
  MARKER_KEY,
} from '../app/harness.js';
import { Workspace } from '../cli/workspace.js';
import { SCENARIOS, type ExpectedFinding, type ExpectedFix, type Scenario } from './base-comparison.js';

/** What a front-end reported for one scenario, reduced to what the table pins. */
interface Outcome {
  reported: { ruleId: string; path: string; line: number; note?: string; anchor?: { side: string; line: number } }[];
  fixed: ExpectedFix[];
  /** Each changed file's comparison mode, as the front-end states it. */
  modes: string;
}

const byLocation = (a: { path: string; line: number }, b: { path: string; line: number }) =>
  a.path.localeCompare(b.path) || a.line - b.line;

function expectOutcome(outcome: Outcome, scenario: Scenario): void {
  const reported = [...outcome.reported].sort(byLocation);
  const expected = [...scenario.reported].sort(byLocation);
  expect(reported.map(({ ruleId, path, line }) => ({ ruleId, path, line }))).toEqual(
    expected.map(({ ruleId, path, line }) => ({ ruleId, path, line })),
  );
  expected.forEach((finding: ExpectedFinding, i) => {
    if (finding.note) expect(reported[i].note).toMatch(finding.note);
    if (finding.anchor) expect(reported[i].anchor).toEqual(finding.anchor);
  });
  expect([...outcome.fixed].sort(byLocation)).toEqual([...scenario.fixed].sort(byLocation));
}

/** `warden scan --diff HEAD~1` on a repository whose last commit turns the base into the head. */
async function throughCli(scenario: Scenario): Promise<Outcome> {
  const workspace = new Workspace();
  try {
    workspace.initRepository();
    for (const [path, text] of Object.entries(scenario.base)) workspace.write(path, text);
    workspace.write('README.md', 'scenario\n').commitAll('base');
    for (const [head, base] of Object.entries(scenario.renamed ?? {})) workspace.git('mv', base, head);
    const renamedFrom = new Set(Object.values(scenario.renamed ?? {}));
    for (const path of Object.keys(scenario.base))
      if (!(path in scenario.head) && !renamedFrom.has(path)) workspace.git('rm', '--quiet', path);
    for (const [path, text] of Object.entries(scenario.head)) workspace.write(path, text);
    workspace.commitAll('head');
    const { stdout } = await workspace.warden('scan', '--diff', 'HEAD~1', '--format', 'json');
    const report = JSON.parse(stdout) as {
      findings: {
        ruleId: string;
        path: string;
        line: number;
        introducedBy?: { note: string; anchor?: { side: string; line: number } };
      }[];
      stats: {
        baseComparison: {
          files: { path: string; mode: string }[];
          fixed: { ruleId: string; path: string; line: number }[];
        };
      };
    };
    const { files, fixed } = report.stats.baseComparison;
    return {
      reported: report.findings.map(({ ruleId, path, line, introducedBy }) => ({
        ruleId,
        path,
        line,
        ...(introducedBy ? { note: introducedBy.note } : {}),
        ...(introducedBy?.anchor ? { anchor: introducedBy.anchor } : {}),
      })),
      fixed: fixed.map(({ ruleId, path, line }) => ({ ruleId, path, line })),
      modes: files.map((file) => `${file.path}: ${file.mode}`).join('\n'),
    };
  } finally {
    workspace.dispose();
  }
}

/** GitHub leaves the patch out of a file whose content did not change (a pure rename). */
function patchOf(base: string, head: string): string | undefined {
  return base === head ? undefined : githubPatch(base, head);
}

function listedFiles(scenario: Scenario): ListedFile[] {
  const renamedFrom = new Map(Object.entries(scenario.renamed ?? {}).map(([head, base]) => [base, head]));
  const files: ListedFile[] = [];
  for (const [path, text] of Object.entries(scenario.head)) {
    const previous = scenario.renamed?.[path];
    const baseText = scenario.base[previous ?? path];
    const patch = patchOf(baseText ?? '', text);
    const status = previous ? 'renamed' : baseText === undefined ? 'added' : 'modified';
    const changes = patch?.split('\n').filter((line) => /^[+-]/.test(line)).length ?? 0;
    files.push({
      filename: path,
      status,
      changes,
      ...(patch ? { patch } : {}),
      ...(previous ? { previous_filename: previous } : {}),
    });
  }
  for (const [path, text] of Object.entries(scenario.base))
    if (!(path in scenario.head) && !renamedFrom.has(path))
      files.push({ filename: path, status: 'removed', patch: githubPatch(text, '') });
  return files;
}

/** The App on a mocked pull request whose files API lists the scenario's changes. */
async function throughApp(scenario: Scenario): Promise<Outcome> {
  // Inline comments for every finding, whatever its confidence, so that every anchor shows.
  const github = new GitHubMock().token().createCheckRun().config('comments: { min_confidence: low }\n');
  github.files(listedFiles(scenario));
  if (Object.keys(scenario.head).length > 0)
    github.contents(
      Object.fromEntries(Object.entries(scenario.head).map(([path, text]) => [`${HEAD_SHA}:${path}`, blob(text)])),
    );
  github.reviewComments().head();
  if (scenario.reported.length > 0) github.review();
  github.completeCheckRun();

  await createTestApp(allRules).receive(pullRequestPayload());

  expect(nock.pendingMocks()).toEqual([]);
  const { output } = github.bodies.updateCheckRun[0];
  const comments: { path: string; line: number; side: string; body: string }[] =
    github.bodies.review?.[0].comments ?? [];
  const reported = (output.annotations as { path: string; start_line: number; title: string; message: string }[]).map(
    (annotation) => {
      const ruleId = /\(([a-z0-9-]+)\)$/.exec(annotation.title)![1];
      const note = /New in this pull request: (.*)\.$/m.exec(annotation.message)?.[1];
      const comment = comments.find((candidate) => readState(candidate.body, MARKER_KEY)?.rule === ruleId);
      return {
        ruleId,
        path: annotation.path,
        line: annotation.start_line,
        ...(note ? { note } : {}),
        ...(comment ? { anchor: { side: comment.side, line: comment.line } } : {}),
      };
    },
  );
  const summary = output.summary as string;
  if (!summary.includes('### How each file was compared')) throw new Error(summary);
  const fixed = [...summary.matchAll(/^\| \w+ \| `([a-z0-9-]+)` \| `([^`]+):(\d+)` \|$/gm)].map(
    ([, ruleId, path, line]) => ({
      ruleId: ruleId,
      path: path,
      line: Number(line),
    }),
  );
  if (scenario.fixed.length > 0)
    expect(summary).toContain(`This pull request fixes ${scenario.fixed.length} findings that the base had`);
  return { reported, fixed, modes: summary.slice(summary.indexOf('### How each file was compared')) };
}

useNock();
afterEach(() => nock.cleanAll());

describe.each([
  ['warden scan --diff', throughCli],
  ['the GitHub App', throughApp],
] as const)('what is new in a change, through %s', (_frontEnd, run) => {
  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const outcome = await run(scenario);
    expectOutcome(outcome, scenario);
    for (const path of Object.keys({ ...scenario.head, ...scenario.base }))
      if (!Object.values(scenario.renamed ?? {}).includes(path)) expect(outcome.modes).toContain(path);
  });
});
