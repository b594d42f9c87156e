import type { Finding } from '../engine/types.js';
import type { GitHubClient, RepoRef } from '../github/client.js';
import { readDefaultBranchFile } from '../github/default-branch-file.js';
import { parseBaseline } from './baseline-parse.js';
import { applyBaseline, BaselineError } from './baseline.js';
import type { FileNote } from '../report/pull-request.js';

/**
 * Hides the findings that the committed baseline (`baseline:` in the config) accepts. It is read
 * from the default branch, like the config, so a pull request cannot accept its own findings.
 * A missing or broken file hides nothing and says why in the summary.
 */
export async function applyRepositoryBaseline(
  octokit: GitHubClient,
  repo: RepoRef,
  path: string | undefined,
  findings: Finding[],
): Promise<{ findings: Finding[]; notes: FileNote[] }> {
  if (!path) return { findings, notes: [] };
  const text = await readDefaultBranchFile(octokit, repo, path);
  if (text === undefined)
    return {
      findings,
      notes: [{ path, message: 'the `baseline` file is not on the default branch, so no finding was hidden' }],
    };
  try {
    const applied = applyBaseline(findings, parseBaseline(text, path));
    const notes =
      applied.hidden > 0
        ? [{ path, message: `${applied.hidden} finding(s) hidden: the committed baseline accepts them` }]
        : [];
    return { findings: applied.findings, notes };
  } catch (error) {
    if (!(error instanceof BaselineError)) throw error;
    return { findings, notes: [{ path, message: `${error.message}; no finding was hidden` }] };
  }
}
