import { describe, expect, it } from '@jest/globals';
import type { RuleContext } from '../../src/engine/context.js';
import { scanSource } from '../../src/engine/index.js';
import type { AnyRule } from '../../src/engine/rule.js';
import type { SyntaxNode } from '../../src/engine/types.js';
import { createRule } from '../../src/rules/create-rule.js';
import { allRules, rulesById } from '../../src/rules/index.js';

type Reporter = (call: SyntaxNode, context: RuleContext<'sink'>) => void;

/** A test rule that treats the first argument of every `sink(...)` call as a command. */
function sinkRule(onSink: Reporter): AnyRule {
  return createRule({
    id: 'test-sink',
    meta: {
      title: 'Test sink',
      category: 'injection',
      cwe: [78],
      severity: 'high',
      confidence: 'medium',
      equivalents: {},
      messages: { sink: 'sink reached' },
      docs: { why: 'Test only.', example: 'sink(x)', fix: 'Test only.', references: [] },
    },
    visitors: {
      call(node, context) {
        if (context.calleeName(node) === 'sink') onSink(node, context);
      },
    },
    tests: { valid: [], invalid: [] },
  });
}

/** Reports every non-constant sink argument without saying why: the context must work it out. */
const implicit = sinkRule((call, context) => {
  const value = context.positionalArguments(call)[0];
  if (value && ['source', 'unknown'].includes(context.origin(value, 'command').kind))
    context.report({ node: call, messageId: 'sink' });
});

const CODE = `from flask import request
def handler(param):
    sink(param)
    sink(request.args["c"])
    sink("literal")
`;

const lines = (findings: { line: number }[]) => findings.map((f) => f.line);

describe('reportUnknownOrigin', () => {
  it('reports findings of unknown origin by default', () => {
    expect(lines(scanSource('a.py', CODE, { rules: [implicit] }).findings)).toEqual([3, 4]);
  });

  it('drops findings that rest on an unknown origin when false, and keeps traced ones', () => {
    const { findings } = scanSource('a.py', CODE, { rules: [implicit], reportUnknownOrigin: false });
    expect(lines(findings)).toEqual([4]);
  });

  it('attaches the trace of the origin a report rests on', () => {
    const finding = scanSource('a.py', CODE, { rules: [implicit] }).findings.find((f) => f.line === 4);
    expect(finding?.trace?.map((s) => s.note)).toEqual(['request.args read here', 'used in a shell command here']);
  });

  it('uses the origin a report names explicitly', () => {
    const explicit = sinkRule((call, context) => {
      const origin = context.origin(context.positionalArguments(call)[0], 'command');
      // Asks about a source elsewhere, but the report says what it rests on.
      context.origin(call, 'command');
      if (origin.kind !== 'constant') context.report({ node: call, messageId: 'sink', origin });
    });
    const code = 'from flask import request\ndef f(p):\n    sink(p, request.args["x"])\n';
    expect(scanSource('a.py', code, { rules: [explicit], reportUnknownOrigin: false }).findings).toEqual([]);
    expect(scanSource('a.py', code, { rules: [explicit] }).findings).toHaveLength(1);
  });

  it('keeps a report when one of the values it rests on is a traced source', () => {
    const both = sinkRule((call, context) => {
      const kinds = context.positionalArguments(call).map((arg) => context.origin(arg, 'command').kind);
      if (kinds.includes('unknown') || kinds.includes('source')) context.report({ node: call, messageId: 'sink' });
    });
    const code = 'from flask import request\ndef f(p):\n    sink(p, request.args["x"])\n    sink(p, "y")\n';
    expect(lines(scanSource('a.py', code, { rules: [both], reportUnknownOrigin: false }).findings)).toEqual([3]);
  });

  it('applies to registered rules without their cooperation', () => {
    const rule = rulesById.get('sql-injection')!;
    const code = 'def find(cur, name):\n    cur.execute("SELECT * FROM users WHERE name = \'" + name + "\'")\n';
    expect(scanSource('a.py', code, { rules: [rule] }).findings).toHaveLength(1);
    expect(scanSource('a.py', code, { rules: [rule], reportUnknownOrigin: false }).findings).toEqual([]);
  });
});

describe('taint switched off', () => {
  it('gives every non-constant value an unknown origin, so no trace or source reaches the finding', () => {
    const code =
      'import subprocess\nfrom flask import request\n\ndef f():\n    subprocess.run(request.args["cmd"], shell=True)\n';
    const on = scanSource('app.py', code, { rules: allRules });
    const off = scanSource('app.py', code, { rules: allRules, taint: false });
    const shellOn = on.findings.find((f) => f.ruleId === 'subprocess-shell-true')!;
    const shellOff = off.findings.find((f) => f.ruleId === 'subprocess-shell-true')!;
    expect(shellOn.trace?.length).toBeGreaterThan(0);
    expect(shellOn.confidence).toBe('high');
    expect(shellOff.trace).toBeUndefined();
    expect(shellOff.confidence).not.toBe('high');
  });
});
