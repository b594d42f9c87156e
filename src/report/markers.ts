/**
 * Hidden HTML comments that let later scans recognise what Warden already posted: the finding a
 * review comment is about, and whether it was marked fixed.
 */
const FINGERPRINT_MARKER = /<!-- warden:fingerprint=([0-9a-f]+) -->/g;
const RULE_MARKER = /<!-- warden:rule=([a-z0-9-]+) -->/g;
const LISTED_MARKER = /<!-- warden:listed=([0-9a-f,]*) -->/g;

/**
 * Our markers always come last in a body; code quoted higher up (in a code span) could imitate
 * one, so the last occurrence is the one that counts.
 */
function lastMarked(body: string, marker: RegExp): string | undefined {
  return [...body.matchAll(marker)].at(-1)?.[1];
}

export const FIXED_MARKER = '<!-- warden:fixed -->';

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- warden:fingerprint=${fingerprint} -->`;
}

/** Which rule a comment is about: a comment of a rule the config switched off is not "fixed". */
export function ruleMarker(ruleId: string): string {
  return `<!-- warden:rule=${ruleId} -->`;
}

export function markedRule(body: string): string | undefined {
  return lastMarked(body, RULE_MARKER);
}

export function markedFingerprint(body: string): string | undefined {
  return lastMarked(body, FINGERPRINT_MARKER);
}

export function isMarkedFixed(body: string): boolean {
  return body.trimEnd().endsWith(FIXED_MARKER);
}

/** The findings a review lists in its body (over the comment cap, or with no valid anchor). */
export function listedMarker(fingerprints: readonly string[]): string {
  return `<!-- warden:listed=${fingerprints.join(',')} -->`;
}

export function markedListed(body: string): string[] {
  return lastMarked(body, LISTED_MARKER)?.split(',').filter(Boolean) ?? [];
}

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

// The reason is percent-encoded, so no text a person writes can end the HTML comment early or
// imitate another field.
const TRIAGE_MARKER =
  /<!-- warden:triage=(fp|accept-risk) by=([A-Za-z0-9-]+(?:\[bot\])?) at=(\d{4}-\d\d-\d\dT[0-9:.]+Z) reason=([A-Za-z0-9%._~!*'()-]*) -->/g;

export function triageMarker(triage: Triage): string {
  return `<!-- warden:triage=${triage.verdict} by=${triage.by} at=${triage.at} reason=${encodeURIComponent(triage.reason)} -->`;
}

export function markedTriage(body: string): Triage | undefined {
  const match = [...body.matchAll(TRIAGE_MARKER)].at(-1);
  if (!match) return undefined;
  let reason: string;
  try {
    reason = decodeURIComponent(match[4]!);
  } catch {
    return undefined;
  }
  return { verdict: match[1] as TriageVerdict, by: match[2]!, at: match[3]!, reason };
}

/** On the one reply that told a user who may run commands on a pull request. */
export function refusedMarker(login: string): string {
  return `<!-- warden:refused=${login.toLowerCase()} -->`;
}

export function isRefusalOf(body: string, login: string): boolean {
  return body.includes(refusedMarker(login));
}
