import type { Context } from 'probot';
import { reactTo } from '../github/reactions.js';
import { ownReviewComment, updateOwnComment } from '../github/triage-comments.js';
import { readState } from '../report/markers.js';
import { withoutTriageNote, withTriageNote } from '../report/conversation.js';
import { settleThreadsOrLog } from '../scan/thread-resolution.js';
import { acceptCommand, commandSource, parseCommand, type OwnComments } from './commands.js';

/**
 * `pull_request_review_comment.created`: `/warden fp <reason>`, `/warden accept-risk <reason>`
 * and `/warden reopen` as replies to one of Warden's finding comments. The comment records the
 * verdict in its signed state, which later scans read; a dismissed finding's comment is folded away
 * and its thread resolved, and a reopened one's unfolded and its thread reopened.
 */
export async function onReviewCommentReply(
  context: Context<'pull_request_review_comment.created'>,
  own: OwnComments,
): Promise<void> {
  const { payload } = context;
  const parentId = payload.comment.in_reply_to_id;
  if (parentId === undefined || context.isBot || !payload.installation) return;
  const command = parseCommand(payload.comment.body);
  const source = commandSource(context, payload.pull_request.number, 'review');
  if (!source || (command?.name !== 'fp' && command?.name !== 'accept-risk' && command?.name !== 'reopen')) return;
  const finding = await ownReviewComment(source.octokit, source.repo, parentId, await own.identity());
  const fingerprint = finding && readState(finding.body, own.markerKey)?.fingerprint;
  // A reply in someone else's thread is none of Warden's business.
  if (!finding || !fingerprint) return;
  if (!(await acceptCommand(source, own))) return;
  if (command.name === 'reopen') {
    await updateOwnComment(source.octokit, source.repo, finding, withoutTriageNote(finding.body, own.markerKey), false);
  } else {
    const triage = { verdict: command.name, by: source.login, at: new Date().toISOString(), reason: command.argument };
    await updateOwnComment(
      source.octokit,
      source.repo,
      finding,
      withTriageNote(finding.body, triage, own.markerKey),
      true,
    );
  }
  const threads = { repo: source.repo, pullNumber: source.pullNumber, commentIds: [finding.id] };
  await settleThreadsOrLog(source.octokit, { ...threads, resolved: command.name !== 'reopen' }, source.log);
  source.log.info(
    { pr: source.pullNumber, fingerprint, command: command.name, login: source.login },
    'finding triaged',
  );
  await reactTo(source.octokit, source.repo, source.comment, 'rocket');
}
