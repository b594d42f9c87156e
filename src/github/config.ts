import { resolveConfig, type LoadedConfig } from '../config/load.js';
import { CONFIG_PATH, defaultConfig } from '../config/defaults.js';
import type { GitHubClient, RepoRef } from './client.js';

/**
 * Reads `.github/warden.yml` from the default branch (a PR cannot switch off its own checks),
 * falling back to the owner's `.github` repository and following `_extends`, as Probot's
 * `context.config` does. A broken file never stops the scan: it runs on the defaults and the
 * errors go into the summary.
 */
export async function loadRepoConfig(octokit: GitHubClient, repo: RepoRef): Promise<LoadedConfig> {
  let raw: unknown;
  try {
    ({ config: raw } = await octokit.config.get({ ...repo, path: CONFIG_PATH }));
  } catch (error) {
    const status = (error as { status?: number }).status;
    // Server and rate-limit errors are the scan's problem, not the config's.
    if (status !== undefined && status !== 404 && status !== 422) throw error;
    const reason = (error as Error).message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
    return { config: defaultConfig, errors: [`${CONFIG_PATH}: ${reason}; using the defaults`] };
  }
  const loaded = resolveConfig(raw);
  return { config: loaded.config, errors: loaded.errors.map((error) => `${CONFIG_PATH}: ${error}`) };
}
