import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { enabledRules } from '../config/rule-settings.js';
import { DiffParseError } from '../diff/patch.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { renderGithubAnnotations } from '../report/github-annotations.js';
import { describeIncomplete, renderJson, type ScanReport } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { allRules } from '../rules/index.js';
import { templateChecksEnabled } from '../templates/settings.js';
import { templateRule } from '../templates/unescaped-output.js';
import { applyBaseline, BaselineError, createBaseline } from '../scan/baseline.js';
import { failsGate, parseFailOn, type FailOn } from '../scan/policy.js';
import { chooseBaseline, writeBaselineFile } from './baseline-file.js';
import { loadCliConfig } from './config.js';
import { AdvisoryFileError, advisorySource } from './advisories.js';
import { MissingPathError } from '../scan/local-files.js';
import { GitError } from '../scan/git.js';
import { scanPaths } from '../scan/local-scan.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

interface ScanFlags {
  diff?: string;
  format: Format;
  minSeverity?: Severity;
  config?: string;
  output?: string;
  advisories?: string;
  failOn?: FailOn;
  exitZero?: boolean;
  baseline?: string;
  writeBaseline?: string;
}

/** A problem with how the command was invoked. */
class UsageError extends Error {}

function failOnOption(spec: string): FailOn {
  try {
    return parseFailOn(spec);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  homepage?: string;
};

async function scanCommand(paths: string[], flags: ScanFlags, io: CliIo): Promise<number> {
  const { config, errors } = await loadCliConfig(io.cwd, flags.config);
  for (const error of errors) io.stderr(`warden: warning: ${error}\n`);
  const rules = enabledRules(config, allRules);
  let advisories;
  try {
    advisories = config.dependencies.enabled
      ? await advisorySource(flags.advisories && resolve(io.cwd, flags.advisories), process.env)
      : undefined;
  } catch (error) {
    if (error instanceof AdvisoryFileError) throw new UsageError(error.message);
    throw error;
  }
  const baseline = await chooseBaseline({
    cwd: io.cwd,
    flag: flags.baseline,
    // Writing a baseline shows every finding it records, whatever the committed one accepted.
    configured: flags.writeBaseline ? undefined : config.baseline,
    warn: (message) => io.stderr(`warden: warning: ${message}\n`),
  });
  const outcome = await scanPaths({
    ...(advisories ? { advisories } : {}),
    cwd: io.cwd,
    paths,
    config,
    rules,
    minSeverity: flags.minSeverity ?? config.min_severity,
    ...(flags.diff !== undefined ? { diffBase: flags.diff } : {}),
  });
  if (outcome.advisoriesSkipped)
    io.stderr(
      'warden: note: dependency pins were not checked against advisories: set GITHUB_TOKEN or pass --advisories FILE (OSV records)\n',
    );
  if (flags.writeBaseline) {
    const written = createBaseline(outcome.findings, `warden ${packageJson.version}`);
    await writeBaselineFile(resolve(io.cwd, flags.writeBaseline), flags.writeBaseline, written);
    io.stderr(`warden: wrote ${written.findings.length} finding(s) to the baseline ${flags.writeBaseline}\n`);
  }
  const shown = baseline ? applyBaseline(outcome.findings, baseline) : undefined;
  const report: ScanReport = {
    version: packageJson.version,
    findings: shown?.findings ?? outcome.findings,
    stats: shown ? { ...outcome.stats, baselined: shown.hidden } : outcome.stats,
  };
  const rendered =
    flags.format === 'json'
      ? renderJson(report)
      : flags.format === 'sarif'
        ? renderSarif(report, {
            rules: templateChecksEnabled(config) ? [...rules, templateRule] : rules,
            informationUri: packageJson.homepage ?? `https://www.npmjs.com/package/${packageJson.name}`,
            ...(packageJson.homepage ? { docsBaseUri: `${packageJson.homepage.replace(/\/$/, '')}/docs/rules/` } : {}),
          })
        : flags.format === 'github'
          ? renderGithubAnnotations(report)
          : renderText(report);
  if (flags.output) {
    try {
      const target = resolve(io.cwd, flags.output);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, rendered);
    } catch (error) {
      throw new UsageError(
        `--output ${flags.output}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  } else {
    io.stdout(rendered);
  }
  const counted = report.findings.filter((finding) => !finding.suppressed);
  // Writing a baseline accepts today's findings.
  if (!flags.exitZero && !flags.writeBaseline && failsGate(counted, flags.failOn ?? config.fail_on))
    return EXIT_FINDINGS;
  if (report.stats.incomplete.length > 0) {
    // Nothing found is not a pass when part of the code went unread.
    io.stderr(`warden: ${describeIncomplete(report.stats.incomplete)} (listed in the report)\n`);
    return EXIT_ERROR;
  }
  return EXIT_CLEAN;
}

/**
 * `warden web|worker|start`: the GitHub App. The server keeps the process alive after this
 * returns; SIGTERM drains the scans in flight.
 */
async function serveCommand(role: 'all' | 'web' | 'worker', io: CliIo): Promise<number> {
  const missing = ['APP_ID', 'WEBHOOK_SECRET'].filter((name) => !process.env[name]);
  if (!process.env.PRIVATE_KEY && !process.env.PRIVATE_KEY_PATH) missing.push('PRIVATE_KEY or PRIVATE_KEY_PATH');
  if (missing.length > 0) throw new UsageError(`the GitHub App needs ${missing.join(', ')} (see .env.example)`);
  // Loaded only here: Probot and the queues are not needed to scan files.
  const { startWarden, stopOnSignals } = await import('../app/server.js');
  try {
    stopOnSignals(await startWarden(role), (message) => io.stderr(`warden: ${message}\n`));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return EXIT_CLEAN;
}

function buildProgram(
  io: CliIo,
  onScan: (paths: string[], flags: ScanFlags) => Promise<void>,
  onServe: (role: 'all' | 'web' | 'worker') => Promise<void>,
): Command {
  const program = new Command('warden')
    .description('Security review for Python code')
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program
    .command('scan')
    .description('Scan Python files for security problems')
    .argument('[paths...]', 'files and directories to scan (default: the current directory)')
    .option('--diff <base>', 'report only findings on lines changed since the merge-base of <base> and HEAD')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .addOption(
      new Option(
        '--min-severity <level>',
        'report findings at or above this severity (default: the config, else low)',
      ).choices(SEVERITIES),
    )
    .option(
      '--fail-on <level>',
      "exit 1 on a finding at or above SEVERITY[:CONFIDENCE], e.g. high or medium:high (default: the config's fail_on)",
      failOnOption,
    )
    .option('--exit-zero', 'exit 0 even when findings reach the threshold (errors still exit 2)')
    .option('--baseline <file>', 'hide the findings recorded in this baseline (each recorded occurrence hides one)')
    .option('--write-baseline <file>', "record today's findings as the baseline and exit 0")
    .option(
      '--config <file>',
      'config file: YAML, or a pyproject.toml (default: .github/warden.yml, else [tool.warden] in pyproject.toml)',
    )
    .option('--output <file>', 'write the report to a file instead of standard output')
    .option(
      '--advisories <file>',
      'check dependency manifests against OSV records (a JSON file, array or folder) instead of GitHub (GITHUB_TOKEN)',
    )
    .exitOverride()
    .action(onScan);
  for (const [role, description] of [
    ['web', 'Receive GitHub webhooks and enqueue scans (needs REDIS_URL; scale as replicas)'],
    ['worker', 'Consume the scan queue (needs REDIS_URL; scale as replicas)'],
    ['start', 'Receive webhooks and scan in one process (what npm start runs)'],
  ] as const) {
    program
      .command(role)
      .description(description)
      .exitOverride()
      .action(() => onServe(role === 'start' ? 'all' : role));
  }
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 when nothing at or above the threshold was found,
 * 1 when something was, 2 on a usage or internal error (one line on stderr).
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_ERROR;
  const program = buildProgram(
    io,
    async (paths, flags) => {
      exitCode = await scanCommand(paths, flags, io);
    },
    async (role) => {
      exitCode = await serveCommand(role, io);
    },
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (argv.length === 0) {
      io.stderr(program.helpInformation());
      return EXIT_ERROR;
    }
    return exitCode;
  } catch (error) {
    // Commander has already printed its own one-line message.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    if (
      error instanceof UsageError ||
      error instanceof GitError ||
      error instanceof MissingPathError ||
      error instanceof DiffParseError ||
      error instanceof BaselineError
    ) {
      io.stderr(`warden: ${error.message}\n`);
    } else {
      io.stderr(`warden: internal error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    }
    return EXIT_ERROR;
  }
}
