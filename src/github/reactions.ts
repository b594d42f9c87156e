import type { GitHubClient, RepoRef } from './client.js';

/** Where a command was written: a pull request's conversation, or a review comment thread. */
export type CommandComment = { kind: 'issue' | 'review'; id: number };

/** 👀 when a command is taken on, 🚀 when it is done, 👍 when it joined a rescan already waiting for the cooldown's end. */
export type CommandReaction = 'eyes' | 'rocket' | '+1';

export async function reactTo(
  octokit: GitHubClient,
  repo: RepoRef,
  comment: CommandComment,
  content: CommandReaction,
): Promise<void> {
  if (comment.kind === 'issue')
    await octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: comment.id, content });
  else await octokit.rest.reactions.createForPullRequestReviewComment({ ...repo, comment_id: comment.id, content });
}
