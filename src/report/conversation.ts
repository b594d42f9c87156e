import { CONFIG_PATH } from '../config/defaults.js';
import { escapeMarkdown, inlineCode } from './markdown.js';
import {
  contentOf,
  readState,
  withState,
  type MarkedState,
  type MarkerKey,
  type Triage,
  type TriageVerdict,
} from './markers.js';

/** How a verdict reads in a sentence: "dismissed as …". */
export const VERDICT_TEXT: Record<TriageVerdict, string> = {
  fp: 'a false positive',
  'accept-risk': 'an accepted risk',
};

// Opens the triage note Warden appends to its comment, so `/warden reopen` can take it off again.
const TRIAGE_NOTE = '<!-- warden:triage-note -->';

/** The reply to `/warden help`. */
export function renderHelp(cooldownSeconds: number): string {
  return [
    '**Warden** commands (people with write access to this repository):',
    '',
    `- \`/warden rescan\`: scan the head commit again; findings already commented on are not posted again. One rescan per pull request per ${cooldownSeconds} s: a command within that time of the last scan is run when that time is up.`,
    '- `/warden help`: this list.',
    '',
    "As a reply to one of Warden's review comments:",
    '',
    '- `/warden fp <reason>`: the finding is a false positive; later scans neither post nor count it.',
    '- `/warden accept-risk <reason>`: the risk is known and accepted; likewise dismissed.',
    '- `/warden reopen`: undo either; the next scan counts the finding again.',
    '',
    `Settings live in ${inlineCode(CONFIG_PATH)} on the default branch. Each comment names its rule; the rule documentation (why it matters, how to fix it, the equivalent Bandit and Ruff codes) is in Warden's \`docs/rules/<rule-id>.md\`.`,
  ].join('\n');
}

/** The answer to a rescan asked for within the cooldown: it is coming, and when. */
export function renderDeferredRescan(login: string, startsInSeconds: number): string {
  return `@${login}, Warden scanned this pull request moments ago, so your rescan waits for the end of the cooldown: it starts in about ${startsInSeconds} s, and the new check run will show the result.`;
}

/** The one reply a user without write access gets on a pull request. */
export function renderRefusal(login: string, key: MarkerKey): string {
  return withState(
    `Thanks, @${login}. Warden commands can only be run by people with write, maintain or admin access to this repository, so this one was ignored. A maintainer can run it for you.`,
    { refused: login },
    key,
  );
}

/**
 * Our comment's content and state without an earlier triage. The note is looked for only when the
 * signed state says there is one: quoted code may contain the note's opening too.
 */
function untriaged(body: string, key: MarkerKey): { content: string; state: MarkedState } {
  const state = readState(body, key);
  if (!state) throw new Error("not one of Warden's comments: its state is missing or not signed");
  const content = contentOf(body);
  if (!state.triage) return { content, state };
  const { triage: _earlier, ...rest } = state;
  const start = content.lastIndexOf(TRIAGE_NOTE);
  return { content: start === -1 ? content : content.slice(0, start).trimEnd(), state: rest };
}

/** Our comment without the note an earlier triage added, and without the triage in its state. */
export function withoutTriageNote(body: string, key: MarkerKey): string {
  const { content, state } = untriaged(body, key);
  return withState(content, state, key);
}

/** Our comment with a note saying who dismissed the finding, when and why; its state is for later scans. */
export function withTriageNote(body: string, triage: Triage, key: MarkerKey): string {
  const reason = triage.reason ? `: ${escapeMarkdown(triage.reason.replace(/`/g, "'"))}` : '';
  const note = `🚫 Dismissed as ${VERDICT_TEXT[triage.verdict]} by @${triage.by} on ${triage.at.slice(0, 10)}${reason}. Reply \`/warden reopen\` to count it again.`;
  const { content, state } = untriaged(body, key);
  return withState(`${content}\n\n${TRIAGE_NOTE}\n---\n${note}`, { ...state, triage }, key);
}

/** A finding on this commit that someone dismissed on its review comment. */
export interface DismissedFinding {
  ruleId: string;
  path: string;
  line: number;
  triage: Triage;
}
