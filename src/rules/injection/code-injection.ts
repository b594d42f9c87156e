import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';

/** Builtins that run or compile Python source. A local `def eval` resolves to `<local>.eval` and stays out. */
const CODE_RUNNERS = new Map([
  ['eval', 'eval'],
  ['exec', 'exec'],
  ['compile', 'compile'],
  ['builtins.eval', 'eval'],
  ['builtins.exec', 'exec'],
  ['builtins.compile', 'compile'],
]);

/** Functions that import a module named by a string. */
const MODULE_IMPORTERS = new Set([
  '__import__',
  'builtins.__import__',
  'importlib.import_module',
  'importlib.__import__',
]);

type MessageId = 'dynamic' | 'dynamicImport';

/** `eval(compile("…", …))`: a code object compiled from a constant is as safe as the constant. */
function isCompiledConstant(context: RuleContext<MessageId>, node: SyntaxNode): boolean {
  if (node.type !== 'call' || CODE_RUNNERS.get(context.calleeName(node) ?? '') !== 'compile') return false;
  return context.isConstant(context.argument(node, 0, 'source'));
}

function checkCode(context: RuleContext<MessageId>, node: SyntaxNode, fn: string, code: SyntaxNode | undefined): void {
  if (!code || isCompiledConstant(context, code)) return;
  const evidence = originEvidence(context, code, 'code');
  // `compile` only builds a code object (`ast.parse` calls it); running it is what `eval` and
  // `exec` findings are for, so `compile` alone counts only with untrusted data.
  if (!evidence || (fn === 'compile' && evidence.kind !== 'source')) return;
  context.report({ node, messageId: 'dynamic', data: { fn }, ...evidence });
}

export default createRule({
  id: 'code-injection',
  meta: {
    title: 'Python code built from data',
    category: 'injection',
    cwe: [95],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B102', 'B307'], ruff: ['S102', 'S307'] },
    messages: {
      dynamic: '`{{fn}}` runs Python code that is not a literal',
      dynamicImport: '`{{fn}}` imports a module named at runtime',
    },
    docs: {
      why: '`eval`, `exec` and `compile` run whatever Python source they are given with the full privileges of the process: a value that reaches them can read files, open sockets and start programs (`__import__("os").system(…)`). Restricting `__builtins__` does not help; escapes are well known. Importing a module by a name from outside lets its import-time code run.',
      example: 'def calculate(expression):\n    return eval(expression)',
      fix: 'Parse data instead of running it: `ast.literal_eval` for Python literals, `json.loads` for JSON, a small parser or a dispatch table for expressions and commands. Choose modules from a fixed mapping.\n\n```python\nimport ast\n\ndef calculate(expression):\n    return ast.literal_eval(expression)\n```',
      knownProblems:
        '`compile` is reported only when data from a known untrusted source reaches it, since compiling alone runs nothing. Code generators that assemble source from trusted templates (namedtuple-style factories, `dataclasses`) are reported too, at medium confidence; suppress them with a comment saying why the input is trusted. `__import__` and `importlib.import_module` of a non-literal name are reported at low severity and confidence, since plugin loading by name is common and usually fed from configuration.',
      references: [
        'https://docs.python.org/3/library/functions.html#eval',
        'https://docs.python.org/3/library/ast.html#ast.literal_eval',
        'https://nedbatchelder.com/blog/201206/eval_really_is_dangerous.html',
        'https://cwe.mitre.org/data/definitions/95.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const callee = context.calleeName(node);
      if (!callee) return;
      const runner = CODE_RUNNERS.get(callee);
      if (runner) {
        checkCode(context, node, runner, context.argument(node, 0, 'source'));
        return;
      }
      if (!MODULE_IMPORTERS.has(callee)) return;
      const name = context.argument(node, 0, 'name');
      const evidence = name && originEvidence(context, name, 'code');
      if (evidence)
        context.report({
          node,
          messageId: 'dynamicImport',
          data: { fn: callee },
          severity: 'low',
          confidence: 'low',
          ...(evidence.kind === 'source' ? evidence : {}),
        });
    },
    // Python 2's `exec code in namespace`, which tree-sitter still parses.
    exec_statement(node, context) {
      checkCode(context, node, 'exec', node.namedChildren[0]);
    },
  },
  tests: {
    valid: [
      'eval("1 + 2")',
      'import ast\nast.literal_eval(text)',
      'def eval(x):\n    return x\neval(data)',
      'exec(compile("x = 1", "<s>", "exec"))',
      'import importlib\nimportlib.import_module("json")',
      'model.eval()',
      'from sympy import sympify as compile\ncompile(expr)',
      'def parse(source):\n    return compile(source, "<unknown>", "exec", 1024)',
    ],
    invalid: [
      {
        code: 'def calculate(expression):\n    return eval(expression)',
        errors: [{ messageId: 'dynamic', line: 2, confidence: 'medium', message: '`eval`' }],
      },
      { code: 'import builtins\nbuiltins.exec(code, {})', errors: [{ messageId: 'dynamic', message: '`exec`' }] },
      { code: 'exec(f"result = {value}")', errors: [{ messageId: 'dynamic' }] },
      {
        code: 'from flask import request\ndef run():\n    code = compile(request.form["code"], "<form>", "exec")',
        errors: [{ messageId: 'dynamic', line: 3, message: '`compile`', confidence: 'high', severity: 'high' }],
      },
      { code: 'exec source in namespace', errors: [{ messageId: 'dynamic' }] },
      {
        code: 'plugin = __import__(name)',
        errors: [{ messageId: 'dynamicImport', severity: 'low', confidence: 'low' }],
      },
      {
        code: 'from importlib import import_module as load\nload("plugins." + name)',
        errors: [{ messageId: 'dynamicImport', message: 'importlib.import_module' }],
      },
    ],
  },
});
