import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What later scans need to know about a body Warden wrote (the finding a review comment is about,
 * whether it was fixed or triaged, the findings a review listed, whom it told about permissions)
 * lives in one hidden trailer: the last line of the body, signed with a key only the app holds.
 * Nothing else in a body is ever read, so text that comes from scanned code (a suggestion, a
 * quoted line, a message, a path) can never pass for state, wherever it sits and whatever it
 * imitates.
 */

/** How a person triaged a finding by replying to its comment. */
export type TriageVerdict = 'fp' | 'accept-risk';

export interface Triage {
  verdict: TriageVerdict;
  /** GitHub login of who triaged it. */
  by: string;
  /** ISO 8601 time of the triage. */
  at: string;
  reason: string;
}

/** The state a trailer carries; each kind of body uses some of it. */
export interface MarkedState {
  /** The finding a review comment is about. */
  fingerprint?: string;
  /** Its rule: a comment of a rule the config switched off is not "fixed". */
  rule?: string;
  fixed?: boolean;
  triage?: Triage;
  /** The findings a review lists in its body (over the comment cap, or with no valid anchor). */
  listed?: string[];
  /** On the one reply that told a user who may run commands on a pull request. */
  refused?: string;
}

const PREFIX = '<!-- warden:state ';
const SIGNATURE = ' sig=';
const SUFFIX = ' -->';
const SIGNATURE_HEX_LENGTH = 32;

/**
 * Signs and verifies trailers. The key is derived from the app's secret for this one purpose, so a
 * trailer's signature is never a valid webhook signature, nor the other way round.
 */
export class MarkerKey {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (!secret) throw new Error('a marker key needs a secret');
    this.key = createHmac('sha256', secret).update('warden comment state v1').digest();
  }

  sign(fields: string): string {
    return createHmac('sha256', this.key).update(fields).digest('hex').slice(0, SIGNATURE_HEX_LENGTH);
  }

  verifies(fields: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(fields));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const VERDICTS: readonly TriageVerdict[] = ['fp', 'accept-risk'];

function encodeFields(state: MarkedState): string {
  const fields: [string, string][] = [];
  if (state.fingerprint !== undefined) fields.push(['fingerprint', state.fingerprint]);
  if (state.rule !== undefined) fields.push(['rule', state.rule]);
  if (state.fixed) fields.push(['fixed', '1']);
  if (state.triage) {
    const { verdict, by, at, reason } = state.triage;
    fields.push(['triage', verdict], ['by', by], ['at', at], ['reason', reason]);
  }
  if (state.listed !== undefined) fields.push(['listed', state.listed.join(',')]);
  if (state.refused !== undefined) fields.push(['refused', state.refused.toLowerCase()]);
  // Percent-encoded, so no value can hold a space, end the HTML comment or imitate another field.
  return fields.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join(' ');
}

function decodeFields(fields: string): MarkedState | undefined {
  const values = new Map<string, string>();
  try {
    for (const field of fields.split(' ')) {
      const equals = field.indexOf('=');
      if (equals <= 0) return undefined;
      values.set(field.slice(0, equals), decodeURIComponent(field.slice(equals + 1)));
    }
  } catch {
    return undefined;
  }
  const state: MarkedState = {};
  const fingerprint = values.get('fingerprint');
  const rule = values.get('rule');
  const verdict = values.get('triage');
  const listed = values.get('listed');
  const refused = values.get('refused');
  if (fingerprint !== undefined) state.fingerprint = fingerprint;
  if (rule !== undefined) state.rule = rule;
  if (values.get('fixed') === '1') state.fixed = true;
  if (verdict !== undefined) {
    if (!VERDICTS.includes(verdict as TriageVerdict)) return undefined;
    state.triage = {
      verdict: verdict as TriageVerdict,
      by: values.get('by') ?? '',
      at: values.get('at') ?? '',
      reason: values.get('reason') ?? '',
    };
  }
  if (listed !== undefined) state.listed = listed.split(',').filter(Boolean);
  if (refused !== undefined) state.refused = refused;
  return state;
}

/** The signed trailer line that carries `state`. */
export function stateTrailer(state: MarkedState, key: MarkerKey): string {
  const fields = encodeFields(state);
  return `${PREFIX}${fields}${SIGNATURE}${key.sign(fields)}${SUFFIX}`;
}

/** A body Warden writes: its visible content, then the trailer as the very last line. */
export function withState(content: string, state: MarkedState, key: MarkerKey): string {
  return `${content.trimEnd()}\n\n${stateTrailer(state, key)}`;
}

function lastLineStart(text: string): number {
  return text.lastIndexOf('\n') + 1;
}

/**
 * The state of a body, read from its last line only, and only when the signature holds; anything
 * else (no trailer, a trailer someone edited or copied from elsewhere into the text) has none.
 */
export function readState(body: string, key: MarkerKey): MarkedState | undefined {
  const text = body.trimEnd();
  const line = text.slice(lastLineStart(text)).trim();
  if (!line.startsWith(PREFIX) || !line.endsWith(SUFFIX)) return undefined;
  const inner = line.slice(PREFIX.length, line.length - SUFFIX.length);
  const signatureAt = inner.lastIndexOf(SIGNATURE);
  if (signatureAt === -1) return undefined;
  const fields = inner.slice(0, signatureAt);
  if (!key.verifies(fields, inner.slice(signatureAt + SIGNATURE.length))) return undefined;
  return decodeFields(fields);
}

/** A body's visible content, without its trailer. */
export function contentOf(body: string): string {
  const text = body.trimEnd();
  const start = lastLineStart(text);
  return text.slice(start).trim().startsWith(PREFIX) ? text.slice(0, start).trimEnd() : text;
}
