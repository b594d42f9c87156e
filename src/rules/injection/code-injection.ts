import type { SyntaxNode } from '../../engine/types.js';
import type { RuleContext } from '../../engine/context.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { methodOf, receiverOf, tracedSource } from '../support/tainted-sink.js';
import { unparenthesized } from '../support/template-strings.js';

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

/**
 * Pillow's `ImageMath` evaluators: `unsafe_eval` (and `eval` before Pillow 10.3) hand the
 * expression to Python's `eval`. Evaluating a constant expression is their purpose, so only
 * request data is reported.
 */
const IMAGE_MATH_EVALUATORS = new Set(['PIL.ImageMath.eval', 'PIL.ImageMath.unsafe_eval']);

/** Openers whose file handle writes to the path in their first argument. */
const FILE_OPENERS = new Set(['open', 'io.open', 'codecs.open']);

const MAX_PATH_DEPTH = 4;

type MessageId = 'dynamic' | 'dynamicImport' | 'writtenModule';

/** The literal text a path certainly ends with: the last literal part of an f-string, of `+`, or of a variable assigned once. */
function trailingText(context: RuleContext<MessageId>, node: SyntaxNode, depth = 0): string {
  const value = unparenthesized(node);
  const constant = context.stringValue(value);
  if (constant !== undefined) return constant;
  if (depth > MAX_PATH_DEPTH) return '';
  if (value.type === 'string') {
    const last = value.namedChildren.filter((c) => c.type !== 'string_end').at(-1);
    return last?.type === 'string_content' ? last.text : '';
  }
  if (value.type === 'binary_operator' && value.childForFieldName('operator')?.type === '+')
    return trailingText(context, value.childForFieldName('right')!, depth + 1);
  if (value.type === 'call' && context.calleeName(value) === 'os.path.join') {
    const last = value.childForFieldName('arguments')?.namedChildren.at(-1);
    return last ? trailingText(context, last, depth + 1) : '';
  }
  if (value.type !== 'identifier') return '';
  const bindings = context.bindingsOf(value);
  const only = bindings.length === 1 ? bindings[0] : undefined;
  return only?.kind === 'assign' && only.value ? trailingText(context, only.value, depth + 1) : '';
}

/** `open("x.py", "w")`: an opener call that writes a Python source file. */
function opensModuleForWriting(context: RuleContext<MessageId>, opener: SyntaxNode | undefined): boolean {
  if (opener?.type !== 'call' || !FILE_OPENERS.has(context.calleeName(opener) ?? '')) return false;
  const path = context.argument(opener, 0, 'file');
  const mode = context.stringValue(context.argument(opener, 1, 'mode')) ?? 'r';
  return !!path && /[wax]/.test(mode) && /\.pyw?$/.test(trailingText(context, path));
}

/** `f.write(data)` where `f` is bound to a Python source file opened for writing (`with open("m.py", "w") as f`). */
function writesModule(context: RuleContext<MessageId>, call: SyntaxNode): boolean {
  const method = methodOf(call);
  const receiver = receiverOf(call);
  if ((method !== 'write' && method !== 'writelines') || receiver?.type !== 'identifier') return false;
  const bindings = context.bindingsOf(receiver);
  return bindings.length > 0 && bindings.every((b) => opensModuleForWriting(context, b.value));
}

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
      writtenModule: 'Data from {{source}} is written into a Python source file, which runs when it is imported',
    },
    docs: {
      why: '`eval`, `exec` and `compile` run whatever Python source they are given with the full privileges of the process: a value that reaches them can read files, open sockets and start programs (`__import__("os").system(…)`). Restricting `__builtins__` does not help; escapes are well known. Importing a module by a name from outside lets its import-time code run.',
      example: 'def calculate(expression):\n    return eval(expression)',
      fix: 'Parse data instead of running it: `ast.literal_eval` for Python literals, `json.loads` for JSON, a small parser or a dispatch table for expressions and commands. Choose modules from a fixed mapping.\n\n```python\nimport ast\n\ndef calculate(expression):\n    return ast.literal_eval(expression)\n```',
      knownProblems:
        "`compile` is reported only when data from a known untrusted source reaches it, since compiling alone runs nothing. Code generators that assemble source from trusted templates (namedtuple-style factories, `dataclasses`) are reported too, at medium confidence; suppress them with a comment saying why the input is trusted. Pillow's `ImageMath.eval`/`unsafe_eval` (which call `eval`) are reported only for request data. Request data written with `write`/`writelines` into a file opened for writing whose name visibly ends in `.py` is reported, since the next import runs it; files executed by other means are not recognised. `__import__` and `importlib.import_module` of a non-literal name are reported at low severity and confidence, since plugin loading by name is common and usually fed from configuration.",
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
      if (writesModule(context, node)) {
        const flow = tracedSource(context, [context.argument(node, 0, 'data')], 'code');
        if (flow)
          context.report({
            node,
            messageId: 'writtenModule',
            data: { source: flow.origin.source ?? 'untrusted input' },
            severity: 'high',
            confidence: 'high',
            origin: flow.origin,
          });
        return;
      }
      const callee = context.calleeName(node);
      if (!callee) return;
      if (IMAGE_MATH_EVALUATORS.has(callee)) {
        const expression = context.argument(node, 0, 'expression');
        const flow = tracedSource(context, [expression], 'code');
        if (flow) checkCode(context, node, callee.split('.').slice(1).join('.'), expression);
        return;
      }
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
      'from PIL import Image, ImageMath\n\ndef blend(a, b):\n    return ImageMath.eval("convert(min(a, b), \'L\')", a=a, b=b)',
      'from PIL import ImageMath\nfrom flask import request\n\ndef brighten(im):\n    factor = float(request.args["factor"])\n    return ImageMath.lambda_eval(lambda args: args["a"] * factor, a=im)',
      'from PIL import ImageMath\n\ndef apply(expression, image):\n    return ImageMath.eval(expression, a=image)',
      'from flask import request\n\ndef save_note():\n    with open("notes/today.txt", "w") as f:\n        f.write(request.form["note"])',
      'import json\nfrom flask import request\n\ndef save_settings():\n    with open("settings.py", "w") as f:\n        f.write("THEME = %s\\n" % json.dumps(request.form["theme"] in ("dark", "light")))',
      'from flask import request\n\ndef show_module():\n    with open("plugins/%s.py" % "default") as f:\n        return f.read()',
      'def generate(path, source):\n    with open(path + ".py", "w") as handle:\n        handle.write(source)',
      'from PIL import ImageMath\nfrom flask import request\n\nOPERATIONS = {"invert": "255 - a", "double": "a * 2"}\n\ndef apply(im):\n    return ImageMath.eval(OPERATIONS[request.args["op"]], a=im)',
      'from PIL import ImageMath\n\ndef threshold(im, level: int):\n    return ImageMath.eval(f"a > {int(level)}", a=im)',
      'from flask import request\n\ndef export():\n    with open("export.py.txt", "w") as f:\n        f.write(request.form["code"])',
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
      {
        code: 'from PIL import Image, ImageMath\nfrom flask import request\n\ndef transform(path):\n    im = Image.open(path)\n    return ImageMath.eval(request.args["expr"], a=im)',
        errors: [{ messageId: 'dynamic', line: 6, confidence: 'high', message: 'ImageMath.eval' }],
      },
      {
        code: 'from PIL import ImageMath\n\ndef channel(request, im):\n    expr = "convert(%s, \'L\')" % request.GET["op"]\n    return ImageMath.unsafe_eval(expr, a=im)',
        errors: [{ messageId: 'dynamic', line: 5, message: 'ImageMath.unsafe_eval' }],
      },
      {
        code: 'import PIL.ImageMath\nfrom flask import request\n\ndef mix(a, b):\n    return PIL.ImageMath.eval(f"a * {request.form[\'weight\']} + b", a=a, b=b)',
        errors: [{ messageId: 'dynamic', line: 5 }],
      },
      {
        code: 'from flask import request\n\ndef upload_plugin():\n    name = request.form["name"]\n    with open(f"plugins/{name}.py", "w") as f:\n        f.write(request.form["code"])',
        errors: [{ messageId: 'writtenModule', line: 6, confidence: 'high', message: 'request.form' }],
      },
      {
        code: 'import os\n\ndef save_config(request):\n    path = os.path.join("/srv/app", "local_settings.py")\n    handle = open(path, "a")\n    handle.write("ALLOWED_HOSTS += [%r]\\n" % request.POST["host"])\n    handle.close()',
        errors: [{ messageId: 'writtenModule', line: 6, message: 'Django' }],
      },
      {
        code: 'from flask import request\n\ndef add_rule():\n    rule = request.json["rule"]\n    with open("rules/custom_rules.py", "a", encoding="utf-8") as out:\n        out.writelines([f"RULES.append({rule!r})\\n"])',
        errors: [{ messageId: 'writtenModule', line: 6 }],
      },
      {
        code: 'from PIL import ImageMath\n\ndef view(request, image):\n    return ImageMath.eval(request.POST["formula"], a=image, b=image)',
        errors: [{ messageId: 'dynamic', line: 4, confidence: 'high' }],
      },
      {
        code: 'from PIL import ImageMath\nfrom flask import request\n\ndef channel(r, g):\n    expr = request.json.get("expr", "a")\n    return ImageMath.unsafe_eval(expr, a=r, b=g)',
        errors: [{ messageId: 'dynamic', line: 6 }],
      },
      {
        code: 'from flask import request\n\ndef save_migration():\n    path = "migrations/" + request.form["name"] + ".py"\n    with open(path, "w") as f:\n        f.write(request.form["body"])',
        errors: [{ messageId: 'writtenModule', line: 6 }],
      },
      {
        code: 'import io\n\ndef save_hook(request):\n    with io.open("hooks/post_save.py", mode="w") as hook:\n        hook.write("def run(obj):\\n    " + request.POST["snippet"] + "\\n")',
        errors: [{ messageId: 'writtenModule', line: 5 }],
      },
    ],
  },
});
