/**
 * Hidden HTML comments that let later scans recognise what Warden already posted: the finding a
 * review comment is about, and whether it was marked fixed.
 */
const FINGERPRINT_MARKER = /<!-- warden:fingerprint=([0-9a-f]+) -->/;
export const FIXED_MARKER = '<!-- warden:fixed -->';

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- warden:fingerprint=${fingerprint} -->`;
}

export function markedFingerprint(body: string): string | undefined {
  return FINGERPRINT_MARKER.exec(body)?.[1];
}

export function isMarkedFixed(body: string): boolean {
  return body.includes(FIXED_MARKER);
}
