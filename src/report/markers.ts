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
