/**
 * Globs for `paths.include` / `paths.exclude`, matched without backtracking regexes. A config is
 * written by whoever maintains a repository, and one worker serves every installation, so a glob
 * such as `**\/*a*a*a*…*b` must cost no more than its length times the path's length.
 *
 * Syntax: `**` as a whole segment matches any number of directories (none included); `*` any run
 * of characters within a segment, `?` one character, `[abc]`, `[a-z]` and `[!abc]` one of a set,
 * `{a,b}` either alternative, `\` makes the next character literal. Dot files match like others.
 */

/** Bounds on what a config may ask for; a list beyond them is a config error. */
export const GLOB_LIMITS = { globs: 50, length: 200, wildcards: 20, alternatives: 64 };

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'set'; negated: boolean; ranges: [string, string][] };

/** A pattern segment: `globstar` for `**`, else the tokens of one path segment. */
type Segment = 'globstar' | Token[];

class GlobSyntaxError extends Error {}

/** `{a,b}` expanded into whole patterns, at most `GLOB_LIMITS.alternatives` of them. */
function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '{' && depth++ === 0) open = i;
    else if (char === '}' && depth > 0 && --depth === 0) {
      const options: string[] = [];
      let start = open + 1;
      let nested = 0;
      for (let j = open + 1; j < i; j++) {
        const inner = pattern[j];
        if (inner === '\\') j++;
        else if (inner === '{') nested++;
        else if (inner === '}') nested--;
        else if (inner === ',' && nested === 0) {
          options.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      options.push(pattern.slice(start, i));
      const rest = expandBraces(pattern.slice(i + 1));
      const expanded: string[] = [];
      for (const option of options)
        for (const head of expandBraces(pattern.slice(0, open) + option))
          for (const tail of rest) {
            expanded.push(head + tail);
            if (expanded.length > GLOB_LIMITS.alternatives)
              throw new GlobSyntaxError(`expands to more than ${GLOB_LIMITS.alternatives} alternatives`);
          }
      return expanded;
    }
  }
  if (depth > 0) throw new GlobSyntaxError('has a `{` that is never closed');
  return [pattern];
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i];
    if (char === '\\' && i + 1 < segment.length) tokens.push({ kind: 'char', char: segment[++i] });
    else if (char === '?') tokens.push({ kind: 'any' });
    else if (char === '*') {
      // `a**b` inside a segment is the same as `a*b`.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) throw new GlobSyntaxError('has a `[` that is never closed');
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let j = 0; j < body.length; j++) {
        if (body[j + 1] === '-' && j + 2 < body.length) {
          ranges.push([body[j], body[j + 2]]);
          j += 2;
        } else ranges.push([body[j], body[j]]);
      }
      tokens.push({ kind: 'set', negated, ranges });
      i = close;
    } else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

function compilePattern(pattern: string): Segment[] {
  return pattern
    .replace(/^\.\//, '')
    .split('/')
    .filter((segment, i, all) => segment !== '' || (i > 0 && i < all.length - 1))
    .map((segment) => (segment === '**' ? 'globstar' : tokenize(segment)));
}

function matchesToken(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === char;
    case 'any':
      return true;
    case 'set':
      return token.ranges.some(([low, high]) => low <= char && char <= high) !== token.negated;
    case 'star':
      return false;
  }
}

/**
 * Wildcard matching without recursion, for characters within a segment and, one level up, for
 * segments within a path (`**` is the star there). On a mismatch only the most recent star takes
 * one more element, which is enough because a later star can absorb whatever an earlier one
 * would: at most pattern length × text length steps.
 */
function starMatch<P, T>(
  pattern: readonly P[],
  text: readonly T[],
  isStar: (element: P) => boolean,
  matchesOne: (element: P, item: T) => boolean,
): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let starText = 0;
  while (t < text.length) {
    if (p < pattern.length && isStar(pattern[p])) {
      star = p++;
      starText = t;
    } else if (p < pattern.length && matchesOne(pattern[p], text[t])) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++starText;
    } else return false;
  }
  while (p < pattern.length && isStar(pattern[p])) p++;
  return p === pattern.length;
}

function matchesSegment(tokens: readonly Token[], text: string): boolean {
  return starMatch(tokens, text.split(''), (token) => token.kind === 'star', matchesToken);
}

function matchesPath(segments: readonly Segment[], parts: readonly string[]): boolean {
  return starMatch(
    segments,
    parts,
    (segment) => segment === 'globstar',
    (segment, part) => segment !== 'globstar' && matchesSegment(segment, part),
  );
}

function wildcardCount(pattern: string): number {
  let count = 0;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '*' || pattern[i] === '?' || pattern[i] === '[') count++;
  }
  return count;
}

/** What is wrong with a list of globs, or `undefined` when it is within the bounds and well formed. */
export function globListProblem(patterns: readonly string[]): string | undefined {
  if (patterns.length > GLOB_LIMITS.globs) return `at most ${GLOB_LIMITS.globs} globs, not ${patterns.length}`;
  for (const pattern of patterns) {
    const shown = JSON.stringify(pattern.length > 40 ? `${pattern.slice(0, 40)}…` : pattern);
    if (pattern.length > GLOB_LIMITS.length)
      return `glob ${shown} is ${pattern.length} characters long; at most ${GLOB_LIMITS.length}`;
    const wildcards = wildcardCount(pattern);
    if (wildcards > GLOB_LIMITS.wildcards)
      return `glob ${shown} has ${wildcards} wildcards; at most ${GLOB_LIMITS.wildcards}`;
    try {
      expandBraces(pattern).forEach(compilePattern);
    } catch (error) {
      if (error instanceof GlobSyntaxError) return `glob ${shown} ${error.message}`;
      throw error;
    }
  }
  return undefined;
}

/** A test for repository-relative paths (`/`-separated) that matches when any of the globs does. */
export function globMatcher(patterns: readonly string[]): (path: string) => boolean {
  const compiled = patterns.flatMap(expandBraces).map(compilePattern);
  return (path) => {
    const parts = path.split('/');
    return compiled.some((segments) => matchesPath(segments, parts));
  };
}
