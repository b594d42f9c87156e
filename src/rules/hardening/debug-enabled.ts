import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import {
  assignedSetting,
  isDevelopmentSetting,
  isDjangoSettings,
  settingsInCall,
  type SettingValue,
} from '../support/config-settings.js';

type MessageId =
  'flaskDebug' | 'djangoDebug' | 'werkzeugDebugger' | 'debugSetting' | 'frameworkDebug' | 'settingsDefault';

const RUN_SIMPLE = new Set(['werkzeug.run_simple', 'werkzeug.serving.run_simple']);
const DEBUGGED_APPLICATION = new Set(['werkzeug.debug.DebuggedApplication', 'werkzeug.DebuggedApplication']);
/** ASGI frameworks whose `debug=True` sends tracebacks to the client. */
const ASGI_APPLICATIONS = new Set([
  'fastapi.FastAPI',
  'fastapi.applications.FastAPI',
  'starlette.applications.Starlette',
  'quart.Quart',
]);
/** Base classes of settings objects read from the environment, whose field defaults ship to production. */
const SETTINGS_BASES = new Set([
  'pydantic.BaseSettings',
  'pydantic_settings.BaseSettings',
  'pydantic.v1.BaseSettings',
  'environ.Env',
]);
const DATACLASS_DECORATORS = new Set(['dataclasses.dataclass', 'attr.s', 'attrs.define', 'attr.define']);
/** Class names that say a dataclass or model holds an application's settings. */
const SETTINGS_CLASS_NAME = /(Settings|Config|Configuration)$/;

function isTrue(node: SyntaxNode | undefined, context: RuleContext<MessageId>): boolean {
  const value = context.literalValue(node);
  return value === true || value === 1;
}

/** The fix that turns a keyword's literal `True` into `False`, when it is written as a plain literal. */
function falseFix(value: SyntaxNode, keyword: string, context: RuleContext<MessageId>) {
  if (value.type !== 'true') return undefined;
  return { description: `Set \`${keyword}=False\``, edits: [context.replaceNode(value, 'False')] };
}

function isModuleLevel(assignment: SyntaxNode): boolean {
  return assignment.parent?.type === 'expression_statement' && assignment.parent.parent?.type === 'module';
}

/** `DEBUG = True` in a Flask config class or `app.config`; module-level names belong to Django's check. */
function checkFlaskSetting(setting: SettingValue, context: RuleContext<MessageId>): void {
  if (setting.name !== 'DEBUG' || !context.isModuleImported('flask') || !isTrue(setting.value, context)) return;
  const bareName = setting.node.type === 'assignment' && setting.node.childForFieldName('left')?.type === 'identifier';
  if ((bareName && isModuleLevel(setting.node)) || isDevelopmentSetting(setting.node, context)) return;
  context.report({ node: setting.node, messageId: 'debugSetting', data: { setting: settingText(setting) } });
}

function settingText(setting: SettingValue): string {
  return setting.node.type === 'assignment' ? setting.node.childForFieldName('left')!.text : `DEBUG`;
}

/**
 * The name of the settings class a field statement sits in: a pydantic `BaseSettings`, or a
 * dataclass named like settings (`AppSettings`, `ServerConfig`). Classes named for
 * development or tests are left out.
 */
function settingsClass(statement: SyntaxNode, context: RuleContext<MessageId>): string | undefined {
  const block = statement.parent;
  const cls = block?.type === 'block' ? block.parent : undefined;
  if (cls?.type !== 'class_definition' || isDevelopmentSetting(statement, context)) return undefined;
  const name = cls.childForFieldName('name')?.text ?? '';
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  if (bases.some((base) => SETTINGS_BASES.has(context.qualifiedName(base) ?? ''))) return name;
  const decorators = cls.parent?.type === 'decorated_definition' ? cls.parent.namedChildren : [];
  const isDataclass = decorators.some((decorator) => {
    const expression = decorator.namedChildren[0];
    const callee = expression?.type === 'call' ? expression.childForFieldName('function') : expression;
    return decorator.type === 'decorator' && DATACLASS_DECORATORS.has(context.qualifiedName(callee) ?? '');
  });
  return isDataclass && SETTINGS_CLASS_NAME.test(name) ? name : undefined;
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
      debugSetting:
        '`{{setting}}` turns on Flask debug mode, whose debugger lets anyone who reaches the server run Python code',
      frameworkDebug:
        '`{{fn}}(debug=True)` sends a traceback with source and local variables to any client that triggers an error',
      settingsDefault:
        '`{{cls}}.{{field}}` defaults to True, so every deployment that does not set it runs in debug mode',
      flaskDebug:
        '`{{fn}}(debug=True)` starts the Werkzeug debugger, which lets anyone who reaches the server run Python code',
      djangoDebug: '`DEBUG = True` in Django settings shows stack traces, settings and SQL to every visitor',
      werkzeugDebugger:
        '`{{fn}}({{keyword}}=True)` serves the interactive debugger, which lets anyone who reaches the server run Python code',
    },
    docs: {
      why: "Flask's and Werkzeug's debugger gives whoever triggers an error an interactive Python console in the browser: remote code execution if the server is reachable. Django's `DEBUG = True` turns every error into a detailed page with local variables, settings and the SQL that ran, and keeps every query in memory.",
      example:
        'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(host="0.0.0.0", debug=True)',
      fix: 'Leave debugging off in code that can be deployed, and switch it on locally through the environment (`flask --debug run`, `FLASK_DEBUG=1`, a `DEBUG` environment variable read by Django settings).\n\n```python\nfrom flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run(debug=False)\n```',
      knownProblems:
        "Flask's `.run(debug=True)` is reported in files that import `flask`, whatever the receiver is called, and so are `app.debug = True`, `app.config[\"DEBUG\"] = True`, `app.config.update(DEBUG=True)` and `DEBUG = True` in a configuration class. `FastAPI(debug=True)`, `Starlette(debug=True)` and `Quart(debug=True)` are reported as the tracebacks they return. A `debug: bool = True` field of a pydantic `BaseSettings` class, or of a dataclass named like settings (`AppSettings`, `ServerConfig`), is reported because its default is what runs wherever the environment does not say otherwise. Werkzeug's `run_simple(use_debugger=True)` and `DebuggedApplication(app, evalex=True)` serve the interactive console. Django's `DEBUG = True` is reported at module level of settings modules (`settings.py`, `settings_*.py`, files under `settings/`, or modules that also set `INSTALLED_APPS`, `MIDDLEWARE`, `ROOT_URLCONF`, `DATABASES` or `ALLOWED_HOSTS`). Nothing is reported in test modules, in settings files named for development or tests (`dev.py`, `local.py`, `settings_test.py`, …) or in classes named for them (`class DevelopmentConfig`, `class TestingSettings`). The fix (`False`) is offered only for a literal `True` keyword; settings get no fix because the right value usually comes from the environment.",
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
      for (const setting of settingsInCall(node, context)) checkFlaskSetting(setting, context);
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
      const name = context.calleeName(node);
      if (!name) return;
      if (ASGI_APPLICATIONS.has(name)) {
        const debug = context.keywordArgument(node, 'debug');
        if (debug && isTrue(debug, context)) {
          const fix = falseFix(debug, 'debug', context);
          context.report({ node, messageId: 'frameworkDebug', data: { fn: name }, ...(fix ? { fix } : {}) });
        }
        return;
      }
      if (!context.isModuleImported('werkzeug')) return;
      const keyword = RUN_SIMPLE.has(name) ? 'use_debugger' : DEBUGGED_APPLICATION.has(name) ? 'evalex' : undefined;
      const enabled = keyword && context.argument(node, keyword === 'evalex' ? 1 : undefined, keyword);
      if (enabled && isTrue(enabled, context)) {
        const fix = falseFix(enabled, keyword, context);
        context.report({ node, messageId: 'werkzeugDebugger', data: { fn: name, keyword }, ...(fix ? { fix } : {}) });
      }
    },
    assignment(node, context) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return;
      // `app.debug = True` on a Flask application.
      if (
        left.type === 'attribute' &&
        left.childForFieldName('attribute')?.text === 'debug' &&
        left.childForFieldName('object')?.text !== 'self' &&
        context.isModuleImported('flask') &&
        isTrue(right, context) &&
        !isDevelopmentSetting(node, context)
      ) {
        context.report({ node, messageId: 'debugSetting', data: { setting: left.text } });
        return;
      }
      if (left.type === 'identifier' && left.text === 'DEBUG' && right.type === 'true' && isModuleLevel(node)) {
        if (isDjangoSettings(context) && !isDevelopmentSetting(node, context))
          context.report({ node, messageId: 'djangoDebug' });
        return;
      }
      const setting = assignedSetting(node);
      if (setting) checkFlaskSetting(setting, context);
    },
    expression_statement(node, context) {
      // `debug: bool = True` as a field of a settings class.
      const field = node.namedChildren[0];
      if (field?.type !== 'assignment' || !field.childForFieldName('type')) return;
      const name = field.childForFieldName('left');
      if (name?.type !== 'identifier' || name.text.toLowerCase() !== 'debug') return;
      const value = field.childForFieldName('right');
      if (!value || value.type !== 'true') return;
      const cls = settingsClass(node, context);
      if (cls) context.report({ node: field, messageId: 'settingsDefault', data: { cls, field: name.text } });
    },
  },
  tests: {
    valid: [
      'from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)',
      'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(debug=os.environ.get("FLASK_DEBUG") == "1")',
      'runner.run(debug=True)',
      { code: 'DEBUG = True\nINSTALLED_APPS = []', filename: 'mysite/settings/dev.py' },
      { code: 'DEBUG = True  # verbose output for the CLI', filename: 'app/constants.py' },
      'import flask\nclass DevelopmentConfig(Config):\n    DEBUG = True',
      'from flask import Flask\napp = Flask(__name__)\napp.debug = os.environ.get("FLASK_DEBUG") == "1"',
      'from fastapi import FastAPI\napp = FastAPI(debug=settings.debug)',
      'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    debug: bool = False',
      'from dataclasses import dataclass\n@dataclass\nclass Point:\n    debug: bool = True',
      'from werkzeug.debug import DebuggedApplication\napplication = DebuggedApplication(app, evalex=False)',
      'class Parser:\n    debug = True\n    def parse(self):\n        self.debug = True',
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
        code: 'from flask import Flask\napp = Flask(__name__)\napp.debug = True\napp.config["DEBUG"] = True',
        errors: [
          { messageId: 'debugSetting', line: 3, message: '`app.debug`' },
          { messageId: 'debugSetting', line: 4, message: '`app.config["DEBUG"]`' },
        ],
      },
      {
        code: 'import flask\nclass ProductionConfig:\n    DEBUG = True\napp.config.update(DEBUG=True, TESTING=False)',
        errors: [
          { messageId: 'debugSetting', line: 3 },
          { messageId: 'debugSetting', line: 4 },
        ],
      },
      {
        code: 'from fastapi import FastAPI\napp = FastAPI(title="orders", debug=True)',
        errors: [{ messageId: 'frameworkDebug', message: '`fastapi.FastAPI(debug=True)`' }],
        output: 'from fastapi import FastAPI\napp = FastAPI(title="orders", debug=False)',
      },
      {
        code: 'from pydantic_settings import BaseSettings\nclass Settings(BaseSettings):\n    database_url: str\n    debug: bool = True',
        errors: [{ messageId: 'settingsDefault', line: 4, message: '`Settings.debug`' }],
      },
      {
        code: 'from dataclasses import dataclass\n@dataclass(frozen=True)\nclass ServerConfig:\n    port: int = 8080\n    DEBUG: bool = True',
        errors: [{ messageId: 'settingsDefault', line: 5 }],
      },
      {
        code: 'from werkzeug.debug import DebuggedApplication\napplication = DebuggedApplication(app, evalex=True)',
        errors: [{ messageId: 'werkzeugDebugger', message: 'DebuggedApplication(evalex=True)' }],
        output: 'from werkzeug.debug import DebuggedApplication\napplication = DebuggedApplication(app, evalex=False)',
      },
      {
        code: 'from werkzeug.serving import run_simple\nrun_simple("localhost", 5000, app, use_debugger=True)',
        errors: [{ messageId: 'werkzeugDebugger', message: 'werkzeug.serving.run_simple' }],
        output: 'from werkzeug.serving import run_simple\nrun_simple("localhost", 5000, app, use_debugger=False)',
      },
    ],
  },
});
