import type { Octokit } from '@octokit/rest';
import type { AdvisorySource } from '../deps/advisories.js';
import { OsvFileSource } from '../deps/osv.js';
import { GithubAdvisorySource } from '../github/advisories.js';
import { proxyAwareFetch } from '../github/proxy.js';

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
