import { createHash } from 'node:crypto';

/**
 * Source text with whitespace runs folded and the spacing and trailing commas that line
 * wrapping adds removed, so re-indenting or re-wrapping a call keeps its fingerprint.
 */
export function normalizeSource(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ ?([([{,]) ?/g, '$1')
    .replace(/ ?([)\]}])/g, '$1')
    .replace(/,([)\]}])/g, '$1')
    .trim();
}

/**
 * A finding's identity across pushes: rule, path, the flagged code and which of the identical
 * occurrences it is. No line numbers, so edits above it do not change it.
 */
export function fingerprint(ruleId: string, path: string, normalizedSource: string, occurrence: number): string {
  return createHash('sha256')
    .update(`${ruleId}\0${path}\0${normalizedSource}\0${occurrence}`)
    .digest('hex')
    .slice(0, 24);
}
