import { describe, expect, it } from '@jest/globals';
import { GLOB_LIMITS, globListProblem, globMatcher } from '../src/config/glob.js';
import { resolveConfig } from '../src/config/load.js';
import { defaultConfig } from '../src/config/defaults.js';

/** The glob from the report: with picomatch's regex it backtracks for minutes on a long name. */
const CATASTROPHIC = `**/${'*a'.repeat(30)}*b`;

describe('config globs', () => {
  it('refuses a glob list beyond the bounds with a config error, falling back to the default paths', () => {
    const { config, errors } = resolveConfig({ paths: { include: [CATASTROPHIC] }, min_severity: 'medium' });
    expect(config.paths).toEqual(defaultConfig.paths);
    expect(config.min_severity).toBe('medium');
    expect(errors).toEqual([
      'paths.include: glob "**/*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*…" has 33 wildcards; at most 20 (using the default for `paths`)',
    ]);
  });

  it('bounds the number, the length and the alternatives of globs, and names malformed ones', () => {
    expect(globListProblem(Array(GLOB_LIMITS.globs + 1).fill('*.py'))).toBe('at most 50 globs, not 51');
    expect(globListProblem([`src/${'a'.repeat(200)}`])).toMatch(/is 204 characters long; at most 200$/);
    expect(globListProblem(['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}/*.py'])).toMatch(
      /expands to more than 64 alternatives$/,
    );
    expect(globListProblem(['src/[ab.py'])).toBe('glob "src/[ab.py" has a `[` that is never closed');
    expect(globListProblem(['src/{a,b.py'])).toBe('glob "src/{a,b.py" has a `{` that is never closed');
    expect(globListProblem(['**/*.py', 'tests/**'])).toBeUndefined();
  });

  it('matches a glob within the bounds against long adversarial names without backtracking', () => {
    // 20 wildcards; picomatch's regex needs seconds for one 100-character name with 4 of them.
    const glob = `**/${'*a'.repeat(8)}*b`;
    expect(globListProblem([glob])).toBeUndefined();
    const matches = globMatcher([glob, '**/a/**/a/**/a/**/b']);
    const names = Array.from({ length: 3_000 }, (_, i) => `d${i}/${'a'.repeat(250)}.py`);
    const deep = Array(200).fill('a').join('/');
    const started = performance.now();
    expect(names.some(matches)).toBe(false);
    expect(matches(deep)).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(matches(`d/${'a'.repeat(250)}b`)).toBe(true);
  });

  it.each([
    ['**/*.py', 'a.py', true],
    ['**/*.py', 'src/deep/a.py', true],
    ['**/*.py', 'src/a.pyc', false],
    ['*.py', 'src/a.py', false],
    ['tests/**', 'tests', true],
    ['tests/**', 'tests/unit/a.py', true],
    ['**/migrations/**', 'app/migrations/0001.py', true],
    ['src/{app,lib}/**/*.py', 'src/lib/a/b.py', true],
    ['src/{app,lib}/**/*.py', 'src/other/a.py', false],
    ['**/test_?.py', 'pkg/test_1.py', true],
    ['**/[!_]*.py', 'pkg/_private.py', false],
    ['**/[a-c]*.py', 'pkg/b.py', true],
    ['**/.venv/**', 'x/.venv/lib/a.py', true],
    ['docs/\\*.py', 'docs/*.py', true],
    ['docs/\\*.py', 'docs/a.py', false],
  ])('%s against %s is %s', (glob, path, expected) => {
    expect(globMatcher([glob])(path)).toBe(expected);
  });
});
