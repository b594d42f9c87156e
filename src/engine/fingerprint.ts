import { createHash } from 'node:crypto';
import type { SyntaxNode } from './types.js';

/**
 * The fingerprint scheme, documented in docs/FINGERPRINTS.md. Bump it whenever the inputs or
 * their normalisation change: fingerprints of different versions never match.
 */
export const FINGERPRINT_VERSION = 2;
/** Version 2 fingerprints are 32 hex digits; version 1 had 24, so an old marker is told apart by its length. */
const FINGERPRINT_HEX_DIGITS = 32;

/** True for a fingerprint of the current scheme (an older Warden's markers carry other ones). */
export function isCurrentFingerprint(fingerprint: string): boolean {
  return fingerprint.length === FINGERPRINT_HEX_DIGITS;
}

/**
 * Source text with whitespace runs folded and the spacing and trailing commas that line
 * wrapping adds removed, so re-indenting or re-wrapping keeps its fingerprint. For text that
 * has no syntax tree (dependency manifest entries).
 */
export function normalizeSource(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ ?([([{,]) ?/g, '$1')
    .replace(/ ?([)\]}])/g, '$1')
    .replace(/,([)\]}])/g, '$1')
    .trim();
}

const CLOSING_BRACKETS = new Set([')', ']', '}']);
/** Tokens that carry no meaning for the finding: formatters add, move and remove them freely. */
const LAYOUT_TOKENS = new Set(['comment', 'line_continuation']);

/**
 * Tokens read from one flagged node. A node can hold a megabyte of code (one call with a huge
 * argument expression); its first tokens identify the finding just as well, and occurrence
 * numbering still tells apart two that share them.
 */
export const MAX_FINGERPRINT_TOKENS = 1000;

/** A string delimiter with its quote style erased: `'`, `"`, `'''` and `"""` all become `"`; prefixes stay. */
function neutralQuotes(delimiter: string): string {
  return delimiter.replace(/('''|"""|'|")$/, '"').toLowerCase();
}

/**
 * The flagged code as a formatter-proof token sequence: the leaf tokens of `node` joined by
 * single spaces, with comments, line continuations and trailing commas dropped and quote
 * styles erased. Indentation, line breaks, spacing, `'` versus `"` and the trailing comma
 * black adds when it explodes a call one argument per line all leave it unchanged. Only the
 * first MAX_FINGERPRINT_TOKENS count.
 */
export function tokenText(node: SyntaxNode): string {
  const { tree } = node;
  const tokens: string[] = [];
  // Pre-order indexes: a subtree is a run of indexes, so no recursion however deep the code nests.
  for (let index = node.id, end = tree.subtreeEnds[node.id]; index < end && tokens.length < MAX_FINGERPRINT_TOKENS;) {
    const type = tree.typeName(index);
    // A string's content is one token: its escape sequences are children that do not cover all of it.
    if (LAYOUT_TOKENS.has(type) || (type !== 'string_content' && tree.childCounts[index] > 0)) {
      index = LAYOUT_TOKENS.has(type) ? tree.subtreeEnds[index] : index + 1;
      continue;
    }
    const text = tree.source.substring(tree.startOf(index), tree.endOf(index));
    if (type === 'string_start' || type === 'string_end') tokens.push(neutralQuotes(text));
    else if (text !== '') tokens.push(text);
    index = tree.subtreeEnds[index];
  }
  if (tokens.length === 0) return node.text;
  return tokens.filter((token, i) => !(token === ',' && CLOSING_BRACKETS.has(tokens[i + 1] ?? ''))).join(' ');
}

/** `Outer.method`: the classes and functions around `node`, outermost first; empty at module level. */
export function enclosingScope(node: SyntaxNode): string {
  const names: string[] = [];
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type === 'function_definition' || scope.type === 'class_definition')
      names.push(scope.childForFieldName('name')?.text ?? '?');
  }
  return names.reverse().join('.');
}

/** What identifies a finding apart from which of several identical ones it is. */
export interface FingerprintInput {
  ruleId: string;
  /** The file's path in the head commit (a renamed file's base version is fingerprinted under its new path). */
  path: string;
  /** `enclosingScope` of the flagged code. */
  scope: string;
  /** `tokenText` of the flagged code (or `normalizeSource` of text without a syntax tree). */
  code: string;
}

/** Findings with the same input are numbered in source order by `occurrence`. */
export function fingerprintGroup(input: FingerprintInput): string {
  return `${input.ruleId}\0${input.path}\0${input.scope}\0${input.code}`;
}

/**
 * A finding's identity across pushes and between a pull request's base and head: rule, path,
 * enclosing scope, the flagged code's tokens, and which of the identical occurrences it is.
 * No line or column goes into it, so moves within the file, line shifts, re-indentation and
 * re-wrapping keep it.
 */
export function fingerprint(input: FingerprintInput, occurrence: number): string {
  return createHash('sha256')
    .update(`warden-fingerprint/${FINGERPRINT_VERSION}\0${fingerprintGroup(input)}\0${occurrence}`)
    .digest('hex')
    .slice(0, FINGERPRINT_HEX_DIGITS);
}
