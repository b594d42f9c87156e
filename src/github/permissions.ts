import type { GitHubClient, RepoRef } from './client.js';

// `permission` is the legacy field (admin, write, read, none); `role_name` names maintain and triage.
const COMMANDING_ROLES = new Set(['admin', 'maintain', 'write']);

/**
 * True when `login` has write, maintain or admin access to the repository, as GitHub says now.
 * A payload's `author_association` is no evidence: private org members show up as CONTRIBUTOR.
 */
export async function mayCommand(octokit: GitHubClient, repo: RepoRef, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
    return COMMANDING_ROLES.has(data.permission) || COMMANDING_ROLES.has(data.role_name);
  } catch (error) {
    // Not a collaborator at all.
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
}
