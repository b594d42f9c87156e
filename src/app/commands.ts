import type { Logger } from 'pino';
import type { Context } from 'probot';
import type { GitHubClient, RepoRef } from '../github/client.js';
import type { AppIdentity } from '../github/identity.js';
import { mayCommand } from '../github/permissions.js';
import { reactTo, type CommandComment } from '../github/reactions.js';
import { listOwnConversationBodies, replyOnPullRequest } from '../github/triage-comments.js';
import { renderDeferredRescan, renderHelp, renderRefusal } from '../report/conversation.js';
import { readState, type MarkerKey } from '../report/markers.js';
import type { RescanOutcome, Rescans } from './rescan.js';

export const COMMAND_NAMES = ['rescan', 'help', 'fp', 'accept-risk', 'reopen'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export interface Command {
  /** `undefined` for a `/warden` line with a word Warden does not know. */
  name: CommandName | undefined;
  /** The rest of the line (the reason of `fp` and `accept-risk`). */
  argument: string;
}

const PREFIX = '/warden';

/**
 * Only this much of a command line is read: anyone can comment on a public repository, and the
 * parse runs before the permission check. A longer reason is cut here.
 */
export const MAX_COMMAND_LINE = 1_000;

function isWhitespace(char: string): boolean {
  return char.trim() === '';
}

/** One line as a command, in one pass over at most `MAX_COMMAND_LINE` characters (no regex). */
function commandOnLine(line: string): Command | undefined {
  const text = line.trimStart().slice(0, MAX_COMMAND_LINE).trimEnd();
  if (text.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return undefined;
  let start = PREFIX.length;
  // `/wardenrescan` is not a command.
  if (start < text.length && !isWhitespace(text[start])) return undefined;
  while (start < text.length && isWhitespace(text[start])) start++;
  let end = start;
  while (end < text.length && !isWhitespace(text[end])) end++;
  const word = start === end ? 'help' : text.slice(start, end).toLowerCase();
  return { name: COMMAND_NAMES.find((known) => known === word), argument: text.slice(end).trim() };
}

/** The first line of a comment that is a `/warden` command; it may sit anywhere in a longer comment. */
export function parseCommand(body: string): Command | undefined {
  for (const line of body.split('\n')) {
    const command = commandOnLine(line);
    if (command) return command;
  }
  return undefined;
}

/** How Warden recognises what it wrote: its identity on GitHub, and the key of its comments' state. */
export interface OwnComments {
  identity(): Promise<AppIdentity>;
  markerKey: MarkerKey;
}

/** Who wrote a command, where, on which pull request. */
export interface CommandSource {
  octokit: GitHubClient;
  log: Logger;
  repo: RepoRef;
  pullNumber: number;
  login: string;
  comment: CommandComment;
}

/** Where a command comment came from; `undefined` for a comment without an author (a deleted account). */
export function commandSource(
  context: Context<'issue_comment.created' | 'pull_request_review_comment.created'>,
  pullNumber: number,
  kind: CommandComment['kind'],
): CommandSource | undefined {
  const { payload } = context;
  const login = payload.comment.user?.login;
  if (!login) return undefined;
  return {
    octokit: context.octokit,
    log: context.log,
    repo: { owner: payload.repository.owner.login, repo: payload.repository.name },
    pullNumber,
    login,
    comment: { kind, id: payload.comment.id },
  };
}

/** Whether Warden already told this person on this pull request who may run commands. */
async function wasRefusedBefore(
  { octokit, repo, pullNumber, login }: CommandSource,
  own: OwnComments,
): Promise<boolean> {
  const bodies = await listOwnConversationBodies(octokit, repo, pullNumber, await own.identity());
  return bodies.some((body) => readState(body, own.markerKey)?.refused === login.toLowerCase());
}

/**
 * True when the author may run commands; the command then gets a 👀 at once. Anyone else gets
 * one short reply per pull request (found again by its hidden marker, so no state is kept).
 */
export async function acceptCommand(source: CommandSource, own: OwnComments): Promise<boolean> {
  const { octokit, repo, pullNumber, login } = source;
  if (!(await mayCommand(octokit, repo, login))) {
    if (await wasRefusedBefore(source, own)) {
      source.log.info({ login, pr: pullNumber }, 'command from a user without write access ignored (already told)');
    } else {
      await replyOnPullRequest(octokit, repo, pullNumber, renderRefusal(login, own.markerKey));
      source.log.info({ login, pr: pullNumber }, 'command from a user without write access refused');
    }
    return false;
  }
  await reactTo(octokit, repo, source.comment, 'eyes');
  return true;
}

/** What the handlers share: the rescan guard, and how to recognise Warden's own comments. */
export interface CommandDeps {
  rescans: Rescans;
  own: OwnComments;
}

/**
 * `issue_comment.created`: `/warden rescan` and `/warden help` in a pull request's conversation.
 * Comments on plain issues, from bots (Warden included) and without a command are ignored.
 */
export async function onIssueComment(context: Context<'issue_comment.created'>, deps: CommandDeps): Promise<void> {
  const { payload } = context;
  const installationId = payload.installation?.id;
  if (!payload.issue.pull_request || context.isBot || installationId === undefined) return;
  const command = parseCommand(payload.comment.body);
  const source = commandSource(context, payload.issue.number, 'issue');
  if (!command || !source) return;
  if (!(await acceptCommand(source, deps.own))) return;
  if (command.name === 'rescan') {
    // 🚀 once the scan is queued (or merged into one already waiting): the new check run reports the result.
    const rocketWhenQueued = async (outcome: RescanOutcome) => {
      if (outcome === 'requested') await reactTo(source.octokit, source.repo, source.comment, 'rocket');
      else source.log.info({ outcome, pr: source.pullNumber }, 'rescan not queued');
    };
    const { outcome, startsInMs } = await deps.rescans.request(
      { ...source, deliveryId: context.id, installationId },
      rocketWhenQueued,
    );
    if (outcome === 'deferred') {
      // One reply per waiting rescan; asks that join it get a 👍, so a burst of commands stays one comment.
      await replyOnPullRequest(
        source.octokit,
        source.repo,
        source.pullNumber,
        renderDeferredRescan(source.login, Math.ceil((startsInMs ?? 0) / 1000)),
      );
    } else if (outcome === 'already-deferred') await reactTo(source.octokit, source.repo, source.comment, '+1');
    else await rocketWhenQueued(outcome);
    return;
  }
  // `help`, an unknown word, or a triage command outside a review thread: the list of commands.
  await replyOnPullRequest(source.octokit, source.repo, source.pullNumber, renderHelp(deps.rescans.cooldownSeconds));
  await reactTo(source.octokit, source.repo, source.comment, 'rocket');
}
