/**
 * The hostile files of issue 14, and one the fuzz campaign found (15,000 decorators): valid
 * Python built to exhaust a recursive or quadratic engine. Each has real findings after its
 * hostile part, so a scan that gives up silently is visible.
 * Shared by test/cli/pathological.test.ts and `npm run hostile`, which times them.
 */
export const HOSTILE_HEADER = 'import os\nfrom flask import request\n';
export const HOSTILE_TAIL = 'os.system(input())\nos.system(request.args["cmd"])\n';

export interface HostileFile {
  name: string;
  /** The hostile part, between `HOSTILE_HEADER` and `HOSTILE_TAIL`. */
  body: string;
}

function assignmentChain(length: number): string {
  const lines = ['v0 = "ls"'];
  for (let i = 1; i < length; i++) lines.push(`v${i} = v${i - 1}`);
  return `${lines.join('\n')}\nos.system(v${length - 1})\n`;
}

function nestedCalls(depth: number): string {
  return `x = ${'f('.repeat(depth)}1${')'.repeat(depth)}\n`;
}

export const HOSTILE_FILES: readonly HostileFile[] = [
  { name: 'a chain of 2,000 assignments', body: assignmentChain(2000) },
  { name: 'f(f(…)) 800 deep', body: nestedCalls(800) },
  { name: 'f(f(…)) 3,000 deep', body: nestedCalls(3000) },
  { name: 'a 50,000-call .strip() chain', body: `x = s${'.strip()'.repeat(50_000)}\n` },
  { name: 'a 200,000-term a + a + …', body: `x = ${Array<string>(200_000).fill('a').join(' + ')}\n` },
  {
    name: '15,000 decorators on one function',
    body: `${Array.from({ length: 15_000 }, (_, i) => `@decorator${i}\n`).join('')}def handler():\n    pass\n`,
  },
  {
    name: 'a 1 MB os.system(input() + …)',
    body: `os.system(input()${' + input()'.repeat((1_000_000 - 100) / 11)})\n`,
  },
];

/** The whole file as it is scanned. */
export function hostileSource(file: HostileFile): string {
  return `${HOSTILE_HEADER}${file.body}${HOSTILE_TAIL}`;
}
