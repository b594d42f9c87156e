import type { GitHubClient, RepoRef } from './client.js';

/** GitHub lists at most this many files of a pull request; the rest cannot be seen through the API. */
export const PULL_FILES_LIMIT = 3000;

export type PullFileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

/** One entry of `GET /pulls/{n}/files`, reduced to what the scan reads. */
export interface PullFile {
  filename: string;
  status: PullFileStatus;
  previousFilename?: string;
  /** Missing for binary files, pure renames and diffs GitHub considers too large. */
  patch?: string;
  /** Lines added plus lines deleted. */
  changes: number;
}

/** GitHub's compare API lists at most this many files of a comparison. */
export const COMPARE_FILES_LIMIT = 300;

type ListedFile = Pick<PullFile, 'filename' | 'status' | 'changes'> & {
  previous_filename?: string;
  patch?: string;
};

function pullFileOf(file: ListedFile): PullFile {
  const entry: PullFile = { filename: file.filename, status: file.status, changes: file.changes };
  if (file.previous_filename) entry.previousFilename = file.previous_filename;
  if (file.patch !== undefined) entry.patch = file.patch;
  return entry;
}

/** Every listed file of the pull request, all pages (100 per page, 3,000 at most). */
export async function listPullFiles(octokit: GitHubClient, repo: RepoRef, pullNumber: number): Promise<PullFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return files.slice(0, PULL_FILES_LIMIT).map(pullFileOf);
}

/**
 * The files changed between two commits (three dots: from their merge base), as a merge group
 * has no pull request to list them; GitHub's compare lists `COMPARE_FILES_LIMIT` at most.
 */
export async function listComparedFiles(
  octokit: GitHubClient,
  repo: RepoRef,
  baseSha: string,
  headSha: string,
): Promise<PullFile[]> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    ...repo,
    basehead: `${baseSha}...${headSha}`,
  });
  return (data.files ?? []).slice(0, COMPARE_FILES_LIMIT).map(pullFileOf);
}

/** The commit a pull request's head points at now, to drop results for a superseded push. */
export async function currentHeadSha(octokit: GitHubClient, repo: RepoRef, pullNumber: number): Promise<string> {
  const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
  return data.head.sha;
}

/**
 * The merge base of a pull request, which is what GitHub's per-file patches are relative to.
 * Only needed when some file's patch is missing and must be recomputed locally.
 */
export async function mergeBaseSha(
  octokit: GitHubClient,
  repo: RepoRef,
  baseSha: string,
  headSha: string,
): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${baseSha}...${headSha}`,
      per_page: 1,
    });
    return data.merge_base_commit.sha;
  } catch (error) {
    // Unrelated histories have no merge base (404); diffing against the base tip is the next best thing.
    if ((error as { status?: number }).status === 404) return baseSha;
    throw error;
  }
}
