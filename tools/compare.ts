/**
 * Runs Warden (every registered rule) and Ruff's `S` rules (stable and preview) over real code
 * (the CPython standard library and, when installed, Django) and writes docs/COMPARISON.md.
 * Run as `npm run compare`; Ruff's wasm module starts faster under `node --liftoff-only`.
 * Exits non-zero only when the comparison cannot run.
 */
import ruffWasm from '@astral-sh/ruff-wasm-nodejs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { scanBytes } from '../src/engine/index.js';
import { parsePython } from '../src/engine/parser.js';
import { decodePythonSource } from '../src/engine/source.js';
import type { BanditDecision } from './data/bandit-checks.js';
import { ruffDifferences } from './data/ruff-differences.js';
import { allRules } from '../src/rules/index.js';
import {
  classify,
  renderComparison,
  shares,
  statementRanges,
  topGaps,
  type CorpusSummary,
  type FileComparison,
  type RuffFinding,
  type RuffRuleSet,
  type RuleFailure,
  type StatementRanges,
  type WardenFinding,
} from './support/comparison.js';
import { corpora, pythonFiles } from './support/corpus.js';
import { loadBanditDecisions } from './support/load-bandit-decisions.js';
import { ruffBanditRules, ruffCodeOf } from './support/ruff-rules.js';

const { Workspace, PositionEncoding } = ruffWasm;
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const OUTPUT = 'docs/COMPARISON.md';
/** Starts the hand-written verdicts on new findings, which a re-run keeps as they are. */
const VERDICTS_MARKER = '<!-- verdicts: written by hand, kept by npm run compare -->';

/** The reviewed verdicts at the end of the current report, to carry over into the new one. */
function reviewedVerdicts(path: string): string {
  let current: string;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  const start = current.indexOf(VERDICTS_MARKER);
  return start === -1 ? '' : `\n${current.slice(start)}`;
}
const COMMAND = 'npm run compare';
const PARSE_TIMEOUT_MS = 10_000;
/** Larger than the app's default so that no stdlib module (the largest is 757 KB) is skipped. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
  end_location: { row: number; column: number };
}

/** Ruff's stable build names its rules by code, its preview build by kebab-case name. */
function ruffCode(diagnostic: RuffDiagnostic, unmapped: Set<string>): string | undefined {
  const reported = diagnostic.code;
  if (!reported || reported === 'invalid-syntax') return undefined;
  if (/^S\d{3}$/.test(reported)) return reported;
  const code = ruffCodeOf(reported);
  if (!code) unmapped.add(reported);
  return code ?? reported;
}

/**
 * The reason for each Ruff code whose findings Warden deliberately does not all make: the row in
 * ruff-differences.ts, else the decision about the Bandit check with the same number.
 */
function documentedDifferences(banditDecisions: BanditDecision[]): Map<string, string> {
  const differences = new Map<string, string>();
  for (const { code, reason } of banditDecisions) {
    const ruffCode = `S${code.slice(1)}`;
    differences.set(ruffCode, differences.has(ruffCode) ? `${differences.get(ruffCode)} ${reason}` : reason);
  }
  for (const { code, reason } of ruffDifferences) differences.set(code, reason);
  return differences;
}

type Workspaces = Map<RuffRuleSet, InstanceType<typeof Workspace>>;

/** Ruff's findings on one file under both rule sets, each once, with the sets that made it. */
function runRuff(
  workspaces: Workspaces,
  text: string,
  file: string,
  unmapped: Set<string>,
): { findings: RuffFinding[]; unparsable: boolean } {
  const findings = new Map<string, RuffFinding>();
  let unparsable = false;
  for (const [set, workspace] of workspaces) {
    for (const diagnostic of workspace.check(text) as RuffDiagnostic[]) {
      if (diagnostic.code === 'invalid-syntax' || diagnostic.code === null) unparsable = true;
      const code = ruffCode(diagnostic, unmapped);
      if (!code) continue;
      const key = `${code}:${diagnostic.start_location.row}:${diagnostic.start_location.column}`;
      const existing = findings.get(key);
      if (existing) existing.sets.add(set);
      else {
        const { start_location: start, end_location: end, message } = diagnostic;
        findings.set(key, { code, file, line: start.row, endLine: end.row, message, sets: new Set([set]) });
      }
    }
  }
  return { findings: [...findings.values()], unparsable };
}

/** CPU time rather than wall time: the machine running the comparison is often shared. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function main(): Promise<void> {
  const workspaces: Workspaces = new Map([
    ['stable', new Workspace({ lint: { select: ['S'], preview: false } }, PositionEncoding.Utf16)],
    ['preview', new Workspace({ lint: { select: ['S'], preview: true } }, PositionEncoding.Utf16)],
  ]);
  const unmapped = new Set<string>();
  const compared: FileComparison[] = [];
  const summaries: CorpusSummary[] = [];
  const seconds = { ruff: 0, warden: 0 };
  const ruleErrors: RuleFailure[] = [];

  for (const corpus of corpora((message) => process.stderr.write(`compare: ${message}\n`))) {
    const files = pythonFiles(corpus);
    if (files.length === 0) throw new Error(`no Python files under ${corpus.root}`);
    const summary: CorpusSummary = {
      name: corpus.name,
      root: corpus.root,
      files: files.length,
      lines: 0,
      bytes: 0,
      ruffUnparsable: 0,
      wardenSkipped: 0,
      wardenPartlyParsed: 0,
    };
    const prefix = corpus.name.split(' ')[0].toLowerCase();
    for (const path of files) {
      const bytes = readFileSync(path);
      const display = `${prefix}/${relative(corpus.root, path)}`;
      summary.bytes += bytes.length;
      const decoded = decodePythonSource(bytes);
      const text = decoded.kind === 'text' ? decoded.text : bytes.toString('latin1');
      summary.lines += text.split('\n').length;

      let started = process.cpuUsage();
      const { findings: ruff, unparsable } = runRuff(workspaces, text, display, unmapped);
      if (unparsable) summary.ruffUnparsable++;
      seconds.ruff += cpuSecondsSince(started);

      started = process.cpuUsage();
      const result = scanBytes(display, bytes, {
        rules: allRules,
        parseTimeoutMs: PARSE_TIMEOUT_MS,
        maxFileBytes: MAX_FILE_BYTES,
      });
      seconds.warden += cpuSecondsSince(started);
      if (result.skipped) summary.wardenSkipped++;
      if (result.parseError) summary.wardenPartlyParsed++;
      for (const error of result.ruleErrors)
        ruleErrors.push({ ruleId: error.ruleId, file: display, message: error.message });
      const warden: WardenFinding[] = result.findings.map((f) => ({
        ruleId: f.ruleId,
        file: display,
        line: f.line,
        message: f.message,
      }));

      if (ruff.length > 0 || warden.length > 0) {
        const statements: StatementRanges =
          ruff.length > 0
            ? statementRanges(parsePython(text, PARSE_TIMEOUT_MS).rootNode)
            : new Map<number, [number, number]>();
        compared.push({ file: display, ruff, warden, statements });
      }
      // Tree-sitter frees parse trees only when the event loop turns.
      await turnEventLoop();
    }
    summaries.push(summary);
  }

  const report = {
    command: COMMAND,
    ruffVersion: Workspace.version(),
    date: new Date().toISOString().slice(0, 10),
    corpora: summaries,
    rules: allRules,
    classified: classify(compared, allRules),
    differences: documentedDifferences(await loadBanditDecisions()),
    ruffRuleNames: ruffBanditRules,
    unmappedRuffNames: [...unmapped].sort(),
    seconds,
    ruleErrors,
  };
  const output = join(repositoryRoot, OUTPUT);
  writeFileSync(output, renderComparison(report) + reviewedVerdicts(output));

  for (const share of shares(report)) {
    process.stdout.write(
      `${share.set}: ${share.total} Ruff findings, ${share.alsoReported} also reported, ${share.deliberate} deliberate: ${(share.share * 100).toFixed(1)}%\n`,
    );
  }
  const gaps = topGaps(report).slice(0, 10);
  if (gaps.length > 0)
    process.stdout.write(`largest unexplained: ${gaps.map((g) => `${g.code} ${g.unexplained}`).join(', ')}\n`);
  if (ruleErrors.length > 0) process.stdout.write(`rules failed on ${ruleErrors.length} files; see ${OUTPUT}\n`);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`compare failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
