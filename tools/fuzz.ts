/**
 * `npm run fuzz`: the fuzz campaign against the compiled engine on its worker threads, with the
 * per-file budget the App and the CLI use. FUZZ_CASES (default 1000), FUZZ_SEED (default 1),
 * FUZZ_FIRST_CASE (default 0, to split a long campaign across processes) and FUZZ_BUDGET_MS
 * (default 10000) tune it. Prints the counts and the slowest file, also when stopped with
 * SIGINT or SIGTERM (for the cases run so far); exits 1 when a property failed.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { sharedEnginePool } from '../src/scan/engine-pool.js';
import { allRules } from '../src/rules/index.js';
import { pythonFiles, stdlibCorpus } from './support/corpus.js';
import { describeCampaign, runCampaign } from './fuzz/campaign.js';

const cases = Number(process.env.FUZZ_CASES ?? 1000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const budgetMs = Number(process.env.FUZZ_BUDGET_MS ?? 10_000);
const firstCase = Number(process.env.FUZZ_FIRST_CASE ?? 0);
let stopRequested = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stopRequested = true));

let uncaught = 0;
process.on('uncaughtException', (error) => {
  uncaught++;
  process.stderr.write(`uncaught exception: ${error.stack ?? error.message}\n`);
});
process.on('unhandledRejection', (reason) => {
  uncaught++;
  process.stderr.write(`unhandled rejection: ${String(reason)}\n`);
});

const stdlib = stdlibCorpus();
const corpus = pythonFiles(stdlib).map((path) => ({
  path: relative(stdlib.root, path),
  text: readFileSync(path, 'utf8'),
}));
const pool = sharedEnginePool();
const report = await runCampaign({
  cases,
  firstCase,
  seed,
  budgetMs,
  stopped: () => stopRequested,
  corpus,
  concurrency: 2,
  scan: (job) => pool.scan({ ...job, rules: allRules, ruleOptions: {}, maxFileBytes: 4 * 1024 * 1024 }),
  onProgress: (done, progress) => {
    if (done % 500 === 0)
      process.stderr.write(
        `${done}/${cases} from case ${firstCase}: ${progress.crashes.length} crashes, ${progress.silentPasses.length} silent passes, ${progress.lateFiles.length} late\n`,
      );
  },
});
await pool.close();
const command = `FUZZ_CASES=${cases} FUZZ_SEED=${seed}${firstCase === 0 ? '' : ` FUZZ_FIRST_CASE=${firstCase}`}${budgetMs === 10_000 ? '' : ` FUZZ_BUDGET_MS=${budgetMs}`} npm run fuzz`;
process.stdout.write(describeCampaign(report, command));
if (uncaught > 0) process.stdout.write(`Uncaught exceptions: ${uncaught}\n`);
const failed = report.crashes.length + report.silentPasses.length + report.lateFiles.length + uncaught > 0;
process.exitCode = failed ? 1 : 0;
