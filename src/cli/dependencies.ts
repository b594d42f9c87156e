import { readFile } from 'node:fs/promises';
import type { Octokit } from '@octokit/rest';
import type { WardenConfig } from '../config/schema.js';
import type { AdvisorySource } from '../deps/advisories.js';
import { checkManifests, type DependencyCheckResult, type ManifestFile } from '../deps/check.js';
import { dependencySettings } from '../deps/settings.js';
import { OsvFileSource } from '../deps/osv.js';
import { GithubAdvisorySource } from '../github/advisories.js';
import { proxyAwareFetch } from '../github/proxy.js';
import { manifestKind } from '../deps/manifests.js';
import { describeFileError, discoverFiles } from './files.js';

/** Every manifest name `manifestKind` recognises, as discovery globs. */
export const MANIFEST_GLOBS = [
  '**/requirements*.txt',
  '**/requirements*.in',
  '**/pyproject.toml',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/poetry.lock',
  '**/uv.lock',
];

export class AdvisoryFileError extends Error {}

/**
 * An Octokit for the CLI's own calls: GITHUB_API_URL names a GitHub Enterprise Server's API (as
 * Actions sets it; GraphQL goes to its `/api/graphql`), and HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * are honoured, which Node's own fetch does not do. Both libraries load only here: they take longer
 * to load than the rest of the CLI, and a scan without a token never needs them.
 */
async function cliOctokit(token: string, env: NodeJS.ProcessEnv): Promise<Octokit> {
  const [{ Octokit }, fetch] = await Promise.all([import('@octokit/rest'), proxyAwareFetch(env)]);
  return new Octokit({
    auth: token,
    userAgent: 'warden-cli',
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL.replace(/\/$/, '') } : {}),
    request: { fetch },
  });
}

/** `--advisories FILE` (OSV records), else GitHub's database with GITHUB_TOKEN, else none. */
export async function advisorySource(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<AdvisorySource | undefined> {
  if (file) {
    try {
      return await OsvFileSource.load(file);
    } catch (error) {
      throw new AdvisoryFileError(
        `--advisories ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  const token = env.GITHUB_TOKEN;
  if (token) return new GithubAdvisorySource((await cliOctokit(token, env)).graphql);
  return undefined;
}

export interface DependencyScan {
  cwd: string;
  paths: string[];
  config: WardenConfig;
  advisories: AdvisorySource | undefined;
  /** Touched lines per absolute path, or `all`; undefined scans every manifest whole. */
  touched?: Map<string, ReadonlySet<number> | 'all'>;
  displayPath(path: string): string;
}

/** Finds the manifests under the scanned paths and checks them on their touched lines. */
export async function scanDependencies(request: DependencyScan): Promise<DependencyCheckResult> {
  const { config } = request;
  const settings = dependencySettings(config);
  if (!settings) return { findings: [], notes: [], manifests: 0, advisoriesSkipped: false };
  const discovery = await discoverFiles({
    cwd: request.cwd,
    paths: request.paths,
    include: MANIFEST_GLOBS,
    exclude: config.paths.exclude,
  });
  const files: ManifestFile[] = [];
  const unreadable: DependencyCheckResult['notes'] = [];
  // Files named on the command line are discovered whatever their name; only manifests count here.
  for (const path of discovery.files.filter((file) => manifestKind(file) !== undefined)) {
    const lines = request.touched ? request.touched.get(path) : 'all';
    if (lines === undefined) continue;
    try {
      files.push({
        path: request.displayPath(path),
        text: await readFile(path, 'utf8'),
        ...(lines === 'all' ? {} : { touchedLines: lines }),
      });
    } catch (error) {
      unreadable.push({
        path: request.displayPath(path),
        line: 1,
        message: `cannot read the manifest: ${describeFileError(error)}`,
      });
    }
  }
  const result = await checkManifests(files, { advisories: request.advisories, ...settings });
  result.notes.unshift(...unreadable);
  return result;
}
