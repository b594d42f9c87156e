import { describe, expect, it } from '@jest/globals';
import { answers, probeRule } from './probe.js';

/** Reports the qualified name of every call's callee. */
const callee = probeRule((call, context) => context.calleeName(call) ?? '<unresolved>');

describe('import and alias resolution', () => {
  it.each([
    ['an aliased module', 'import subprocess as sp\nsp.run(cmd)', 'subprocess.run'],
    ['an aliased from-import', 'from os import system as run\nrun(cmd)', 'os.system'],
    ['an aliased dotted module', 'import xml.etree.ElementTree as ET\nET.parse(data)', 'xml.etree.ElementTree.parse'],
    ['a dotted import spelled out', 'import os.path\nos.path.join(a, b)', 'os.path.join'],
    [
      'a from-import of a submodule',
      'from xml.etree import ElementTree\nElementTree.fromstring(s)',
      'xml.etree.ElementTree.fromstring',
    ],
    ['a star import', 'from subprocess import *\ncheck_output(cmd)', 'subprocess.check_output'],
    ['an import inside a function', 'def f(cmd):\n    import subprocess as sp\n    sp.call(cmd)', 'subprocess.call'],
    [
      'a module-level import used in a function defined above it',
      'def f(cmd):\n    sp.call(cmd)\nimport subprocess as sp',
      'subprocess.call',
    ],
    ['a builtin', 'eval(code)', 'eval'],
    ['a parenthesized callee', 'import os\n(os.system)(cmd)', 'os.system'],
  ])('resolves %s', (_what, code, expected) => {
    expect(answers(callee, code)).toEqual([expected]);
  });

  it('keeps relative imports relative, so a local module never passes for the standard library', () => {
    expect(answers(callee, 'from .compat import subprocess\nsubprocess.run(cmd)')).toEqual(['.compat.subprocess.run']);
    expect(answers(callee, 'from . import shell\nshell.run(cmd)')).toEqual(['.shell.run']);
    expect(answers(callee, 'from ..utils import system\nsystem(cmd)')).toEqual(['..utils.system']);
  });

  it('does not attribute names to a relative star import', () => {
    expect(answers(callee, 'from .helpers import *\nsystem(cmd)')).toEqual(['system']);
  });

  it('marks locally defined functions and classes as local', () => {
    expect(answers(callee, 'def system(cmd):\n    pass\nsystem(cmd)')).toEqual(['<local>.system']);
    expect(answers(callee, 'from os import *\nclass system:\n    pass\nsystem()')).toEqual(['<local>.system']);
  });

  it('resolves each call of a chain on its own', () => {
    expect(answers(callee, 'import requests\nrequests.get(url).json()')).toEqual(['requests.get', '<unresolved>']);
  });
});

describe('argument access', () => {
  const describeArgument = (position: number | undefined, keyword?: string) =>
    probeRule((call, context) => context.argument(call, position, keyword)?.text ?? '<absent>');

  it('finds an argument by position', () => {
    expect(answers(describeArgument(1), 'f(a, b, key=c)')).toEqual(['b']);
  });

  it('prefers the keyword when the argument is passed by name', () => {
    expect(answers(describeArgument(0, 'args'), 'f(args=cmd, shell=True)')).toEqual(['cmd']);
    expect(answers(describeArgument(0, 'args'), 'f(cmd, shell=True)')).toEqual(['cmd']);
  });

  it('knows no position after a *args splat', () => {
    expect(answers(describeArgument(1), 'f(*parts, b)')).toEqual(['<absent>']);
    expect(answers(describeArgument(0), 'f(a, *parts)')).toEqual(['a']);
  });

  it('reports an absent argument as absent', () => {
    expect(answers(describeArgument(2, 'timeout'), 'f(a, b)')).toEqual(['<absent>']);
  });

  it('lists positional arguments without keywords, **kwargs or comments', () => {
    const positional = probeRule((call, context) =>
      context
        .positionalArguments(call)
        .map((a) => a.text)
        .join(' | '),
    );
    expect(answers(positional, 'f(\n    a,  # first\n    *rest,\n    key=1,\n    **extra,\n)')).toEqual(['a | *rest']);
  });

  it('finds keyword values and the whole keyword argument node', () => {
    const keyword = probeRule(
      (call, context) =>
        `${context.keywordArgument(call, 'shell')?.text} / ${context.keywordArgumentNode(call, 'shell')?.text}`,
    );
    expect(answers(keyword, 'f(cmd, shell=flag)')).toEqual(['flag / shell=flag']);
  });

  it('tells when a call unpacks arguments', () => {
    const unpacked = probeRule((call, context) => String(context.hasUnpackedArguments(call)));
    expect(answers(unpacked, 'f(a)\ng(*a)\nh(**k)')).toEqual(['false', 'true', 'true']);
  });
});
