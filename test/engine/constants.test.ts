import { describe, expect, it } from '@jest/globals';
import { answers, probeRule } from './probe.js';

/** Reports, for the first argument of each `probe(…)` call, whether it is constant and its value. */
const constant = probeRule((call, context) => {
  if (call.childForFieldName('function')?.text !== 'probe') return undefined;
  const argument = context.argument(call, 0);
  if (!context.isConstant(argument)) return 'not constant';
  const value = context.literalValue(argument);
  return value === undefined ? 'constant' : `constant ${JSON.stringify(value)}`;
});

const evaluate = (code: string) => answers(constant, code)[0];

describe('constant evaluation', () => {
  it.each([
    ['a string literal', 'probe("ls -l")', 'constant "ls -l"'],
    ['implicit concatenation', 'probe("ls " "-l")', 'constant "ls -l"'],
    ['+ concatenation', 'probe("ls" + " " + "-l")', 'constant "ls -l"'],
    ['an f-string without interpolation', 'probe(f"ls -l")', 'constant "ls -l"'],
    ['escapes', 'probe("a\\tb\\x41")', 'constant "a\\tbA"'],
    ['a raw string', 'probe(r"a\\tb")', 'constant "a\\\\tb"'],
    ['a parenthesized literal', 'probe(("ls"))', 'constant "ls"'],
    ['numbers and arithmetic', 'probe(2 ** 10 - 24)', 'constant 1000'],
    ['a negative number', 'probe(-5)', 'constant -5'],
    ['True, False and None', 'probe([True, False, None])', 'constant [true,false,null]'],
    ['a list of literals', 'probe(["ls", "-l"])', 'constant ["ls","-l"]'],
    ['a tuple of literals', 'probe(("git", "status"))', 'constant ["git","status"]'],
    ['an f-string interpolating only constants', 'N = 3\nprobe(f"head -n {N}")', 'constant'],
    ['a name bound only to a constant', 'CMD = "ls"\nprobe(CMD)', 'constant "ls"'],
    ['a name bound to the same constant twice', 'CMD = "ls"\nif x:\n    CMD = "ls"\nprobe(CMD)', 'constant "ls"'],
    ['a name bound to different constants', 'CMD = "ls"\nif x:\n    CMD = "pwd"\nprobe(CMD)', 'constant'],
    ['a chain of constant names', 'BASE = "ls"\nCMD = BASE + " -l"\nprobe(CMD)', 'constant "ls -l"'],
    ['a local constant in a function', 'def f():\n    cmd = "ls"\n    probe(cmd)', 'constant "ls"'],
    ['a module constant read in a function', 'CMD = "ls"\ndef f():\n    probe(CMD)', 'constant "ls"'],
    ['str.format of constants', 'probe("{} -l".format("ls"))', 'constant'],
  ])('treats %s as constant', (_what, code, expected) => {
    expect(evaluate(code)).toBe(expected);
  });

  it.each([
    ['an f-string with a variable', 'probe(f"ls {path}")'],
    ['concatenation with a variable', 'probe("ls " + path)'],
    ['an unbound name', 'probe(cmd)'],
    ['a name rebound to a non-constant', 'cmd = "ls"\ncmd = input()\nprobe(cmd)'],
    ['a name augmented with a non-constant', 'cmd = "ls"\ncmd += arg\nprobe(cmd)'],
    ['a name rebound by a loop', 'cmd = "ls"\nfor cmd in commands:\n    pass\nprobe(cmd)'],
    ['a name rebound by unpacking', 'cmd = "ls"\ncmd, flag = pair\nprobe(cmd)'],
    ['a name rebound by a walrus', 'cmd = "ls"\nif (cmd := read()):\n    pass\nprobe(cmd)'],
    ['a parameter shadowing a module constant', 'cmd = "ls"\ndef f(cmd):\n    probe(cmd)'],
    ['a parameter with a constant default', 'def f(cmd="ls"):\n    probe(cmd)'],
    [
      'a module constant a function rebinds through global',
      'CMD = "ls"\ndef g():\n    global CMD\n    CMD = input()\nprobe(CMD)',
    ],
    ['a list with a variable', 'probe(["ls", path])'],
    ['a call result', 'probe(str(path))'],
    ['str.format of a variable', 'probe("{} -l".format(path))'],
  ])('treats %s as not constant', (_what, code) => {
    expect(evaluate(code)).toBe('not constant');
  });
});
