import { readFile } from 'node:fs/promises';
import { Octokit } from '@octokit/rest';
import type { WardenConfig } from '../config/schema.js';
import type { AdvisorySource } from '../deps/advisories.js';
import { checkManifests, type DependencyCheckResult, type ManifestFile } from '../deps/check.js';
import { OsvFileSource } from '../deps/osv.js';
import { GithubAdvisorySource } from '../github/advisories.js';
import { discoverFiles } from './files.js';

/** Every manifest name `manifestKind` recognises, as discovery globs. */
export const MANIFEST_GLOBS = ['**/requirements*.txt', '**/requirements*.in', '**/pyproject.toml', '**/Pipfile', '**/Pipfile.lock', '**/poetry.lock', '**/uv.lock'];

export class AdvisoryFileError extends Error {}

/** `--advisories FILE` (OSV records), else GitHub's database with GITHUB_TOKEN, else none. */
export async function advisorySource(file: string | undefined, token: string | undefined): Promise<AdvisorySource | undefined> {
  if (file) {
    try {
      return await OsvFileSource.load(file);
    } catch (error) {
      throw new AdvisoryFileError(`--advisories ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (token) return new GithubAdvisorySource(new Octokit({ auth: token, userAgent: 'warden-cli' }).graphql as never);
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
  const discovery = await discoverFiles({ cwd: request.cwd, paths: request.paths, include: MANIFEST_GLOBS, exclude: config.paths.exclude });
  const files: ManifestFile[] = [];
  for (const path of discovery.files) {
    const lines = request.touched ? request.touched.get(path) : 'all';
    if (lines === undefined) continue;
    files.push({ path: request.displayPath(path), text: await readFile(path, 'utf8'), ...(lines === 'all' ? {} : { touchedLines: lines }) });
  }
  const disabled = new Set(Object.entries(config.rules).filter(([, setting]) => setting === false || setting === 'off' || (typeof setting === 'object' && !setting.enabled)).map(([id]) => id));
  return checkManifests(files, { advisories: request.advisories, requirePins: config.dependencies.require_pins, disabled });
}
