/**
 * The fuzz campaign's properties, case by case: no crash and no uncaught exception; every file
 * finishes within its budget or is reported incomplete; the known vulnerability appended to
 * every file is found unless the file is reported incomplete (or does not parse cleanly, as a
 * mutation of a real file sometimes does not). Case `i` is generated from seed `seed + i`, so
 * any one case can be replayed alone.
 */
import fc from 'fast-check';
import { DiffParseError, parseFilePatch, parseGitDiff } from '../../src/diff/patch.js';
import { incompleteParts, type FileResult } from '../../src/engine/scan-source.js';
import type { FileScanJob } from '../../src/scan/engine-pool.js';
import { filePatch, gitDiff } from './diff-cases.js';
import {
  generatedPython,
  KNOWN_VULNERABILITY_RULE,
  mutatedFiles,
  withKnownVulnerability,
  type PythonCase,
} from './python-cases.js';

export interface CampaignOptions {
  cases: number;
  /** The index of the first case (default 0): a long campaign can be split across processes. */
  firstCase?: number;
  seed: number;
  /** Per-file budget handed to the engine. */
  budgetMs: number;
  /** Real files to mutate; without them every Python case is generated. */
  corpus: readonly { path: string; text: string }[];
  /** Runs the engine on one file (the pool's worker threads, or this thread in tests). */
  scan: (job: Pick<FileScanJob, 'path' | 'bytes' | 'budgetMs'>) => Promise<FileResult>;
  /** How many files are scanned at once (the pool's size). */
  concurrency: number;
  onProgress?: (done: number, report: CampaignReport) => void;
  /** Checked before each case: a campaign asked to stop ends early, with what it has. */
  stopped?: () => boolean;
}

/** A case that broke a property, with what is needed to replay it. */
export interface Violation {
  caseIndex: number;
  seed: number;
  name: string;
  problem: string;
}

export interface CampaignReport {
  /** Cases run, from `firstCase`. */
  cases: number;
  firstCase: number;
  pythonCases: number;
  diffCases: number;
  /** Exceptions out of the engine or the patch parser (other than a DiffParseError). */
  crashes: Violation[];
  /** Files reported complete in which the appended vulnerability was not found. */
  silentPasses: Violation[];
  /** Files that finished after their budget without being reported incomplete. */
  lateFiles: Violation[];
  /** Files reported as not fully scanned, by reason (rule failures are listed by rule). */
  incomplete: Map<string, number>;
  /** Mutated files with syntax errors, where the appended statement may not parse on its own. */
  notCleanlyParsed: number;
  slowest: { name: string; ms: number; bytes: number; caseIndex: number } | undefined;
  durationMs: number;
}

/** How late past its budget a file may come back before it counts as overrunning unreported. */
const LATE_SLACK_MS = 2000;

/** Rule failures are grouped by rule; deadline reasons by their wording without line numbers. */
function incompleteCategory(result: FileResult): string[] {
  return incompleteParts(result).map((part) =>
    part.ruleId ? `rule ${part.ruleId} failed` : part.reason.replace(/line \d+/, 'line N').replace(/\d+ ms/, 'N ms'),
  );
}

function sampleOne<T>(arbitrary: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0];
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const started = Date.now();
  const firstCase = options.firstCase ?? 0;
  const report: CampaignReport = {
    cases: 0,
    firstCase,
    pythonCases: 0,
    diffCases: 0,
    crashes: [],
    silentPasses: [],
    lateFiles: [],
    incomplete: new Map(),
    notCleanlyParsed: 0,
    slowest: undefined,
    durationMs: 0,
  };
  const mutations = options.corpus.length > 0 ? mutatedFiles(options.corpus) : undefined;

  const runPython = async (caseIndex: number, seed: number, python: PythonCase) => {
    report.pythonCases++;
    const { bytes, line } = withKnownVulnerability(python.bytes);
    const violation = (problem: string): Violation => ({ caseIndex, seed, name: python.name, problem });
    const scanStarted = Date.now();
    let result: FileResult;
    try {
      result = await options.scan({ path: `case-${caseIndex}.py`, bytes, budgetMs: options.budgetMs });
    } catch (error) {
      report.crashes.push(violation(`the scan threw: ${(error as Error).stack ?? String(error)}`));
      return;
    }
    const ms = Date.now() - scanStarted;
    if (!report.slowest || ms > report.slowest.ms)
      report.slowest = { name: python.name, ms, bytes: bytes.length, caseIndex };
    const categories = incompleteCategory(result);
    for (const category of categories) report.incomplete.set(category, (report.incomplete.get(category) ?? 0) + 1);
    if (categories.length > 0) return;
    if (ms > options.budgetMs + LATE_SLACK_MS)
      report.lateFiles.push(violation(`took ${ms} ms on a ${options.budgetMs} ms budget, reported complete`));
    if (result.skipped) {
      report.crashes.push(violation(`skipped: ${result.skipped}`));
      return;
    }
    if (result.parseError) {
      report.notCleanlyParsed++;
      return;
    }
    if (!result.findings.some((finding) => finding.ruleId === KNOWN_VULNERABILITY_RULE && finding.line === line))
      report.silentPasses.push(violation(`the vulnerability appended at line ${line} was not reported`));
  };

  const runDiff = (caseIndex: number, seed: number) => {
    report.diffCases++;
    const patch = sampleOne(filePatch, seed);
    const diff = sampleOne(gitDiff, seed);
    for (const [name, parse] of [
      ['file patch', () => [parseFilePatch(patch)]],
      ['git diff', () => parseGitDiff(diff)],
    ] as const) {
      try {
        for (const file of parse())
          if ([...file.touchedLines].some((line) => !Number.isInteger(line)))
            throw new Error('a touched line is not a line number');
      } catch (error) {
        if (!(error instanceof DiffParseError))
          report.crashes.push({ caseIndex, seed, name, problem: (error as Error).stack ?? String(error) });
      }
    }
  };

  let next = firstCase;
  const lane = async () => {
    while (next < firstCase + options.cases && !options.stopped?.()) {
      const caseIndex = next++;
      const seed = options.seed + caseIndex;
      // Six in ten generated files, three in ten mutated real files, one in ten diffs.
      const kind = caseIndex % 10;
      if (kind === 9) runDiff(caseIndex, seed);
      else if (kind >= 6 && mutations) await runPython(caseIndex, seed, sampleOne(mutations, seed));
      else await runPython(caseIndex, seed, sampleOne(generatedPython, seed));
      report.cases++;
      options.onProgress?.(report.cases, report);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  report.durationMs = Date.now() - started;
  return report;
}

/** The counts, the slowest file and every violation, as printed and kept in docs/ROBUSTNESS.md. */
export function describeCampaign(report: CampaignReport, command: string): string {
  const incomplete = [...report.incomplete].sort((a, b) => b[1] - a[1]);
  const incompleteTotal = incomplete.reduce((sum, [, count]) => sum + count, 0);
  const violations = [...report.crashes, ...report.silentPasses, ...report.lateFiles];
  const lines = [
    `Command: \`${command}\``,
    '',
    '| | count |',
    '|---|---|',
    `| cases | ${report.cases} (case ${report.firstCase} to ${report.firstCase + report.cases - 1}) |`,
    `| Python files scanned | ${report.pythonCases} |`,
    `| diffs parsed (a file patch and a git diff each) | ${report.diffCases} |`,
    `| crashes and uncaught exceptions | ${report.crashes.length} |`,
    `| silent passes (vulnerability missed, file reported complete) | ${report.silentPasses.length} |`,
    `| files over budget not reported incomplete | ${report.lateFiles.length} |`,
    `| incomplete-file reports (file and reason) | ${incompleteTotal} |`,
    `| mutated files with syntax errors (appended line not checked) | ${report.notCleanlyParsed} |`,
    '',
    report.slowest
      ? `Slowest file: case ${report.slowest.caseIndex} (${report.slowest.name}), ${report.slowest.bytes} bytes, ${report.slowest.ms} ms.`
      : 'No Python file was scanned.',
    `Total time: ${(report.durationMs / 1000).toFixed(1)} s.`,
  ];
  if (incomplete.length > 0)
    lines.push(
      '',
      'Reported incomplete, by reason:',
      '',
      ...incomplete.map(([reason, count]) => `- ${count} × ${reason}`),
    );
  if (violations.length > 0)
    lines.push(
      '',
      'Violations:',
      '',
      ...violations.map((v) => `- case ${v.caseIndex} (seed ${v.seed}, ${v.name}): ${v.problem.split('\n')[0]}`),
    );
  return `${lines.join('\n')}\n`;
}
