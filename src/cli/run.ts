import { readFileSync } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { enabledRules, loadConfigFile, type LoadedConfig } from '../config/load.js';
import { defaultConfig } from '../config/schema.js';
import { DiffParseError } from '../diff/patch.js';
import { SEVERITIES, type Severity } from '../engine/types.js';
import { describeIncomplete, renderJson, type ScanReport } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderText } from '../report/text.js';
import { allRules } from '../rules/index.js';
import { AdvisoryFileError, advisorySource } from './dependencies.js';
import { MissingPathError } from './files.js';
import { GitError, repositoryRoot } from './git.js';
import { scanPaths } from './scan.js';

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface ScanFlags {
  diff?: string;
  format: Format;
  minSeverity?: Severity;
  config?: string;
  output?: string;
  advisories?: string;
}

/** A problem with how the command was invoked. */
class UsageError extends Error {}

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  homepage?: string;
};

/** `--config FILE`, or the repository's `.github/warden.yml` when there is one. */
async function loadConfig(cwd: string, path: string | undefined): Promise<LoadedConfig> {
  if (path) return loadConfigFile(resolve(cwd, path));
  const conventional = join((await repositoryRoot(cwd)) ?? cwd, '.github', 'warden.yml');
  const exists = await access(conventional).then(
    () => true,
    () => false,
  );
  return exists ? loadConfigFile(conventional) : { config: defaultConfig, errors: [] };
}

async function scanCommand(paths: string[], flags: ScanFlags, io: CliIo): Promise<number> {
  const { config, errors } = await loadConfig(io.cwd, flags.config);
  for (const error of errors) io.stderr(`warden: warning: ${error}\n`);
  const rules = enabledRules(config, allRules);
  let advisories;
  try {
    advisories = config.dependencies.enabled
      ? await advisorySource(flags.advisories && resolve(io.cwd, flags.advisories), process.env.GITHUB_TOKEN)
      : undefined;
  } catch (error) {
    if (error instanceof AdvisoryFileError) throw new UsageError(error.message);
    throw error;
  }
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
  const report: ScanReport = { version: packageJson.version, findings: outcome.findings, stats: outcome.stats };
  const rendered =
    flags.format === 'json'
      ? renderJson(report)
      : flags.format === 'sarif'
        ? renderSarif(report, {
            rules,
            ...(packageJson.homepage ? { docsBaseUri: `${packageJson.homepage.replace(/\/$/, '')}/docs/rules/` } : {}),
          })
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
  if (report.findings.some((finding) => !finding.suppressed)) return EXIT_FINDINGS;
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
    .option('--config <file>', 'config file (default: .github/warden.yml when present)')
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
      error instanceof DiffParseError
    ) {
      io.stderr(`warden: ${error.message}\n`);
    } else {
      io.stderr(`warden: internal error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    }
    return EXIT_ERROR;
  }
}
