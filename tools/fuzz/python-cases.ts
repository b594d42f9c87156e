/**
 * Hostile but valid Python for the fuzz campaign: shapes that stress recursion, nesting and
 * size in the engine (deep calls, brackets, `if`s, lambdas and comprehensions, long attribute
 * and call chains, huge expressions, long strings and lines, many decorators, tabs mixed with
 * spaces, coding cookies), and mutations of real files from the CPython standard library.
 */
import fc from 'fast-check';

/** One generated file: how it was made (for the report), and its bytes. */
export interface PythonCase {
  name: string;
  bytes: Uint8Array;
}

/** Sizes: mostly small, sometimes large, rarely huge, so a 10,000-case run still finishes. */
const size = (small: number, large: number, huge: number) =>
  fc.oneof(
    { weight: 85, arbitrary: fc.integer({ min: 1, max: small }) },
    { weight: 14, arbitrary: fc.integer({ min: small, max: large }) },
    { weight: 1, arbitrary: fc.integer({ min: large, max: huge }) },
  );

const NAMES = ['a', 'b', 'f', 'g', 'data', 'value', 'items', 'cls', 'self'];
const name = fc.constantFrom(...NAMES);
const OPERATORS = ['+', '-', '*', '/', '%', '|', '&', '<<', '**', 'and', 'or', '==', '<', 'in', 'is not'];

/** Random small expressions of every kind, nested a few levels. */
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name,
    fc.integer().map(String),
    fc.string({ maxLength: 8 }).map((text) => JSON.stringify(text)),
    fc.tuple(tie('expr'), fc.constantFrom(...OPERATORS), tie('expr')).map(([l, op, r]) => `(${l} ${op} ${r})`),
    fc.tuple(name, fc.array(tie('expr'), { maxLength: 3 })).map(([fn, args]) => `${fn}(${args.join(', ')})`),
    fc.tuple(tie('expr'), name).map(([object, attribute]) => `${object}.${attribute}`),
    fc.tuple(tie('expr'), tie('expr')).map(([object, key]) => `${object}[${key}]`),
    fc.tuple(name, tie('expr')).map(([param, body]) => `(lambda ${param}: ${body})`),
    fc.tuple(tie('expr'), name, tie('expr')).map(([body, v, it]) => `[${body} for ${v} in ${it}]`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, c, b]) => `(${a} if ${c} else ${b})`),
    fc.array(tie('expr'), { maxLength: 4 }).map((items) => `{${items.join(', ')}}`),
    fc.tuple(name, tie('expr')).map(([v, e]) => `f"{${v}}{${e}!r}"`),
  ),
})).expr;

const nestOpen: Record<string, [string, string]> = { '(': ['(', ')'], '[': ['[', ']'], '{': ['{', '}'] };

/** Top-level fragments, each a few lines of valid Python ending in a newline. */
const fragments: fc.Arbitrary<{ kind: string; text: string }>[] = [
  size(300, 3000, 20_000).map((n) => ({ kind: `f(f(…)) ${n} deep`, text: `x = ${'f('.repeat(n)}1${')'.repeat(n)}\n` })),
  fc.tuple(fc.constantFrom('(', '[', '{'), size(300, 3000, 20_000)).map(([bracket, n]) => {
    const [open, close] = nestOpen[bracket];
    return { kind: `${open}${close} ${n} deep`, text: `x = ${open.repeat(n)}1${close.repeat(n)}\n` };
  }),
  size(50, 400, 1500).map((n) => ({
    kind: `if ${n} deep`,
    text: Array.from({ length: n }, (_, i) => `${' '.repeat(i)}if c${i % 7}:\n`).join('') + `${' '.repeat(n)}pass\n`,
  })),
  size(200, 2000, 10_000).map((n) => ({ kind: `lambda ${n} deep`, text: `g = ${'lambda: '.repeat(n)}0\n` })),
  size(100, 1000, 5000).map((n) => {
    let text = 'y';
    for (let i = 0; i < n; i++) text = `[v${i % 5} for v${i % 5} in ${text}]`;
    return { kind: `comprehension ${n} deep`, text: `z = ${text}\n` };
  }),
  size(1000, 20_000, 60_000).map((n) => ({ kind: `.attr chain ${n}`, text: `x = a${'.b'.repeat(n)}\n` })),
  size(1000, 20_000, 60_000).map((n) => ({ kind: `.strip() chain ${n}`, text: `x = s${'.strip()'.repeat(n)}\n` })),
  fc.tuple(fc.constantFrom(...OPERATORS.slice(0, 7)), size(1000, 50_000, 200_000)).map(([op, n]) => ({
    kind: `a ${op} a … ${n} terms`,
    text: `x = ${Array(n).fill('a').join(` ${op} `)}\n`,
  })),
  size(10_000, 200_000, 1_000_000).map((n) => ({ kind: `string of ${n}`, text: `s = "${'a'.repeat(n)}"\n` })),
  size(1000, 20_000, 100_000).map((n) => ({ kind: `line of ${n} statements`, text: `${'v = 1; '.repeat(n)}\n` })),
  size(100, 2000, 20_000).map((n) => ({ kind: `${n} decorators`, text: `${'@d\n'.repeat(n)}def h():\n    pass\n` })),
  fc.array(expression, { minLength: 1, maxLength: 8 }).map((lines) => ({
    kind: 'tabs and spaces',
    // Each block indents with a tab, the next level with a tab and spaces: consistent, as Python requires.
    text: `def t(a, b):\n${lines.map((line) => `\tif a:\n\t    r = ${line}\n`).join('')}\treturn b\n`,
  })),
  fc.array(expression, { minLength: 1, maxLength: 10 }).map((lines) => ({
    kind: 'random expressions',
    text: lines.map((line, i) => `e${i} = ${line}\n`).join(''),
  })),
];

/** Hostile files made of one to three fragments, sometimes with a latin-1 coding cookie. */
export const generatedPython: fc.Arbitrary<PythonCase> = fc
  .tuple(fc.array(fc.oneof(...fragments), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([parts, latin1]) => {
    const body = parts.map((part) => part.text).join('');
    const name = parts.map((part) => part.kind).join(' + ');
    if (!latin1) return { name, bytes: Buffer.from(body, 'utf8') };
    return {
      name: `${name} (latin-1 cookie)`,
      bytes: Buffer.from(`# -*- coding: latin-1 -*-\nnom = "café"\n${body}`, 'latin1'),
    };
  });

/** Mutations of a real file that keep it valid Python. */
const MUTATIONS: { kind: string; apply: (text: string, n: number) => string }[] = [
  { kind: 'repeated', apply: (text, n) => `${text}\n`.repeat(1 + (n % 4)) },
  {
    kind: 'indented with tabs',
    apply: (text) => text.replace(/^((?: {4})+)/gm, (indent) => '\t'.repeat(indent.length / 4)),
  },
  { kind: 'nested call prepended', apply: (text, n) => `x = ${'f('.repeat(n)}1${')'.repeat(n)}\n${text}` },
  { kind: 'wrapped in ifs', apply: (text, n) => wrapInIfs(text, 1 + (n % 50)) },
  { kind: 'coding cookie', apply: (text) => `# -*- coding: utf-8 -*-\n${text}` },
  { kind: 'CRLF line endings', apply: (text) => text.replace(/\r?\n/g, '\r\n') },
  { kind: 'no final newline', apply: (text) => text.replace(/\s+$/, '') },
];

/** Every line moved `depth` blocks down (one space per level, so nesting stays valid). */
function wrapInIfs(text: string, depth: number): string {
  const header = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}if True:\n`).join('');
  const indent = ' '.repeat(depth);
  const lines = text.split('\n').map((line) => (line.trim() === '' ? line : indent + line));
  // A multi-line string would change value but stays valid; a file ending in a backslash would not.
  return `${header}${lines.join('\n')}\n${indent}pass\n`;
}

/** Mutations of files from `corpus` (paths and contents), chosen by index. */
export function mutatedFiles(corpus: readonly { path: string; text: string }[]): fc.Arbitrary<PythonCase> {
  return fc
    .tuple(
      fc.nat({ max: corpus.length - 1 }),
      fc.array(fc.nat({ max: MUTATIONS.length - 1 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 2000 }),
    )
    .map(([fileIndex, mutationIndexes, n]) => {
      const file = corpus[fileIndex];
      const applied = mutationIndexes.map((index) => MUTATIONS[index]);
      const text = applied.reduce((current, mutation) => mutation.apply(current, n), file.text);
      return { name: `${file.path} ${applied.map((m) => m.kind).join(', ')}`, bytes: Buffer.from(text, 'utf8') };
    });
}

/**
 * Appended to every case: a command built from data of unknown origin reaches `os.system`.
 * The names are unusual so that nothing in a generated or real file shadows them.
 */
export const KNOWN_VULNERABILITY = 'import os as _fuzz_os\n_fuzz_os.system(_fuzz_command)\n';
export const KNOWN_VULNERABILITY_RULE = 'os-command-injection';

/** The case with the known vulnerability appended, and the line the finding must be on. */
export function withKnownVulnerability(bytes: Uint8Array): { bytes: Uint8Array; line: number } {
  const text = Buffer.from(bytes);
  const separator = text.length === 0 || text[text.length - 1] === 0x0a ? '' : '\n';
  const appended = Buffer.concat([text, Buffer.from(`${separator}${KNOWN_VULNERABILITY}`, 'utf8')]);
  // Counted as the engine counts lines: \r\n, lone \r and \n each end one.
  const lines = Buffer.from(appended)
    .toString('latin1')
    .split(/\r\n|\r|\n/).length;
  return { bytes: appended, line: lines - 1 };
}
