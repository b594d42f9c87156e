import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

type MessageId = 'flaskDebug' | 'djangoDebug' | 'werkzeugDebugger';

const RUN_SIMPLE = new Set(['werkzeug.run_simple', 'werkzeug.serving.run_simple']);
/** Settings a Django settings module defines; one of them next to `DEBUG` marks the module as settings. */
const DJANGO_SETTINGS = /^(INSTALLED_APPS|MIDDLEWARE|ROOT_URLCONF|DATABASES|ALLOWED_HOSTS)\s*=/m;
/** Settings files meant for development or tests, where `DEBUG = True` is the point. */
const DEVELOPMENT_SETTINGS = /(^|[/_.-])(dev|develop|development|local|test|tests|testing|ci)([/_.-]|\.py$)/i;

function isDjangoSettings(path: string, source: string): boolean {
  const file = path.replace(/\\/g, '/');
  if (DEVELOPMENT_SETTINGS.test(file.split('/').slice(-2).join('/'))) return false;
  return /(^|\/)settings([_.][^/]*)?\.py$|(^|\/)settings\/[^/]+\.py$/.test(file) || DJANGO_SETTINGS.test(source);
}

function isTrue(node: SyntaxNode | undefined, context: RuleContext<MessageId>): boolean {
  const value = context.literalValue(node);
  return value === true || value === 1;
}

/** The fix that turns a keyword's literal `True` into `False`, when it is written as a plain literal. */
function falseFix(value: SyntaxNode, keyword: string, context: RuleContext<MessageId>) {
  if (value.type !== 'true') return undefined;
  return { description: `Set \`${keyword}=False\``, edits: [context.replaceNode(value, 'False')] };
}

export default createRule({
  id: 'debug-enabled',
  meta: {
    title: 'Debug mode enabled',
    category: 'hardening',
    cwe: [489, 215],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B201'], ruff: ['S201'] },
    messages: {
      flaskDebug:
        '`{{fn}}(debug=True)` starts the Werkzeug debugger, which lets anyone who reaches the server run Python code',
      djangoDebug: '`DEBUG = True` in Django settings shows stack traces, settings and SQL to every visitor',
      werkzeugDebugger:
        '`{{fn}}(use_debugger=True)` serves the interactive debugger, which lets anyone who reaches the server run Python code',
    },
    docs: {
      why: "Flask's and Werkzeug's debugger gives whoever triggers an error an interactive Python console in the browser: remote code execution if the server is reachable. Django's `DEBUG = True` turns every error into a detailed page with local variables, settings and the SQL that ran, and keeps every query in memory.",
      example:
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)',
      fix: 'Leave debugging off in code that can be deployed, and switch it on locally through the environment (`flask --debug run`, `FLASK_DEBUG=1`, a `DEBUG` environment variable read by Django settings).\n\n```python\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=False)\n```',
      knownProblems:
        "Flask's `.run(debug=True)` is reported in files that import `flask`, whatever the receiver is called. Django's `DEBUG = True` is reported at module level of settings modules (`settings.py`, `settings_*.py`, files under `settings/`, or modules that also set `INSTALLED_APPS`, `MIDDLEWARE`, `ROOT_URLCONF`, `DATABASES` or `ALLOWED_HOSTS`) but not in files named for development or tests (`dev.py`, `local.py`, `settings_test.py`, …). The fix (`debug=False`) is offered only for a literal `True` keyword; Django settings get no fix because the right value usually comes from the environment.",
      references: [
        'https://flask.palletsprojects.com/en/stable/debugging/',
        'https://werkzeug.palletsprojects.com/en/stable/debug/',
        'https://docs.djangoproject.com/en/stable/ref/settings/#debug',
        'https://cwe.mitre.org/data/definitions/489.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = node.childForFieldName('function');
      if (
        fn?.type === 'attribute' &&
        fn.childForFieldName('attribute')?.text === 'run' &&
        context.isModuleImported('flask')
      ) {
        const debug = context.keywordArgument(node, 'debug');
        if (debug && isTrue(debug, context)) {
          const fix = falseFix(debug, 'debug', context);
          context.report({ node, messageId: 'flaskDebug', data: { fn: fn.text }, ...(fix ? { fix } : {}) });
        }
        return;
      }
      if (!context.isModuleImported('werkzeug')) return;
      const name = context.calleeName(node);
      const useDebugger = name && RUN_SIMPLE.has(name) ? context.keywordArgument(node, 'use_debugger') : undefined;
      if (useDebugger && isTrue(useDebugger, context)) {
        const fix = falseFix(useDebugger, 'use_debugger', context);
        context.report({ node, messageId: 'werkzeugDebugger', data: { fn: name! }, ...(fix ? { fix } : {}) });
      }
    },
    assignment(node, context) {
      const left = node.childForFieldName('left');
      if (left?.type !== 'identifier' || left.text !== 'DEBUG' || node.childForFieldName('right')?.type !== 'true')
        return;
      if (node.parent?.type !== 'expression_statement' || node.parent.parent?.type !== 'module') return;
      if (isDjangoSettings(context.path, context.source)) context.report({ node, messageId: 'djangoDebug' });
    },
  },
  tests: {
    valid: [
      'from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)',
      'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.environ.get("FLASK_DEBUG") == "1")',
      'runner.run(debug=True)',
      { code: 'DEBUG = True\nINSTALLED_APPS = []', filename: 'mysite/settings/dev.py' },
      { code: 'DEBUG = True  # verbose output for the CLI', filename: 'app/constants.py' },
      { code: 'import os\nDEBUG = os.environ.get("DJANGO_DEBUG") == "1"', filename: 'mysite/settings.py' },
    ],
    invalid: [
      {
        code: 'from flask import Flask\napp = Flask(__name__)\napp.run(host="127.0.0.1", debug=True)',
        errors: [{ messageId: 'flaskDebug', line: 3, message: '`app.run(debug=True)`' }],
        output: 'from flask import Flask\napp = Flask(__name__)\napp.run(host="127.0.0.1", debug=False)',
      },
      { code: 'import flask\nDEBUG = 1\napplication.run(debug=DEBUG)', errors: [{ messageId: 'flaskDebug', line: 3 }] },
      {
        code: 'DEBUG = True\nALLOWED_HOSTS = ["example.com"]',
        filename: 'mysite/production.py',
        errors: [{ messageId: 'djangoDebug', line: 1 }],
      },
      { code: 'DEBUG = True', filename: 'mysite/settings.py', errors: [{ messageId: 'djangoDebug' }] },
      {
        code: 'from werkzeug.serving import run_simple\nrun_simple("localhost", 5000, app, use_debugger=True)',
        errors: [{ messageId: 'werkzeugDebugger', message: 'werkzeug.serving.run_simple' }],
        output: 'from werkzeug.serving import run_simple\nrun_simple("localhost", 5000, app, use_debugger=False)',
      },
    ],
  },
});
