import type { GitHubClient, RepoRef } from './client.js';

/** A file's text on the repository's default branch, or undefined when it does not exist there. */
export async function readDefaultBranchFile(
  octokit: GitHubClient,
  repo: RepoRef,
  path: string,
): Promise<string | undefined> {
  try {
    const response = await octokit.rest.repos.getContent({ ...repo, path, mediaType: { format: 'raw' } });
    const data: unknown = response.data;
    if (typeof data === 'string') return data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    throw new Error(`unexpected response for ${path}: not raw file content`);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}
