import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isTestPath, stringContent } from '../support/secrets-names.js';

type MessageId = 'configDisabled' | 'exempt';

/** Flask-WTF settings whose falsy value turns CSRF checking off (everywhere, or by default). */
const CSRF_SETTINGS = new Set(['WTF_CSRF_ENABLED', 'WTF_CSRF_CHECK_DEFAULT']);
const CSRF_PROTECT = new Set([
  'flask_wtf.csrf.CSRFProtect',
  'flask_wtf.CSRFProtect',
  'flask_wtf.csrf.CsrfProtect',
  'flask_wtf.CsrfProtect',
]);
/** Config methods that take settings as keywords or a mapping. */
const CONFIG_UPDATERS = new Set(['update', 'from_mapping']);

function isOff(value: SyntaxNode | null | undefined, context: RuleContext<MessageId>): boolean {
  const literal = context.literalValue(value);
  return literal === false || literal === 0;
}

/** Test configurations (`class TestingConfig`, test modules) turn CSRF off on purpose. */
function isTestConfiguration(node: SyntaxNode, context: RuleContext<MessageId>): boolean {
  if (isTestPath(context.path)) return true;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition' && /test/i.test(current.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
}

function reportSetting(context: RuleContext<MessageId>, node: SyntaxNode, setting: string): void {
  if (!isTestConfiguration(node, context)) context.report({ node, messageId: 'configDisabled', data: { setting } });
}

/** True when `receiver` is a name bound to a `CSRFProtect(...)` instance. */
function isCsrfProtect(receiver: SyntaxNode | null | undefined, context: RuleContext<MessageId>): boolean {
  if (receiver?.type !== 'identifier') return false;
  const bindings = context.bindingsOf(receiver);
  return (
    bindings.length > 0 &&
    bindings.every(
      (b) => b.kind === 'assign' && b.value?.type === 'call' && CSRF_PROTECT.has(context.calleeName(b.value) ?? ''),
    )
  );
}

/** The `csrf` in `csrf.exempt`, when the expression is such an attribute. */
function exemptReceiver(expression: SyntaxNode | undefined): SyntaxNode | null | undefined {
  if (expression?.type !== 'attribute' || expression.childForFieldName('attribute')?.text !== 'exempt')
    return undefined;
  return expression.childForFieldName('object');
}

export default createRule({
  id: 'flask-csrf-disabled',
  meta: {
    title: 'Flask-WTF CSRF protection turned off',
    category: 'csrf',
    cwe: [352],
    severity: 'high',
    confidence: 'high',
    equivalents: { semgrep: ['python.flask.security.audit.wtf-csrf-disabled.flask-wtf-csrf-disabled'] },
    messages: {
      configDisabled:
        '`{{setting}}` is set to False, so Flask-WTF stops checking CSRF tokens; forged cross-site requests will be accepted',
      exempt:
        '`{{receiver}}.exempt` removes CSRF protection from this view; a forged cross-site request can act as the logged-in user',
    },
    docs: {
      why: "Flask-WTF's `CSRFProtect` rejects state-changing requests that lack the session's CSRF token. Turning it off globally (`WTF_CSRF_ENABLED = False`), by default (`WTF_CSRF_CHECK_DEFAULT = False`) or for one view (`csrf.exempt`) lets any other site submit requests that the browser sends with the user's session cookie.",
      example:
        'from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\napp.config["WTF_CSRF_ENABLED"] = False\ncsrf = CSRFProtect(app)',
      fix: 'Leave CSRF protection on and send the token from forms (`{{ form.csrf_token }}`) and JavaScript (the `X-CSRFToken` header). Exempt only endpoints that never rely on cookies and authenticate each request another way, such as signed webhooks.\n\n```python\nfrom flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\ncsrf = CSRFProtect(app)\n```',
      knownProblems:
        'Turning CSRF off for the test suite is common and harmless, so settings inside test modules and inside classes whose name contains `Test` (`class TestingConfig`) are not reported. `csrf.exempt` is recognised when `csrf` is assigned a `CSRFProtect(...)` in the same file.',
      references: [
        'https://flask-wtf.readthedocs.io/en/latest/csrf/',
        'https://flask-wtf.readthedocs.io/en/latest/config/',
        'https://cwe.mitre.org/data/definitions/352.html',
      ],
    },
  },
  visitors: {
    assignment(node, context) {
      const left = node.childForFieldName('left');
      if (!left) return;
      // `WTF_CSRF_ENABLED = False` in a config module or class; `app.config["WTF_CSRF_ENABLED"] = False`.
      const setting =
        left.type === 'identifier'
          ? left.text
          : left.type === 'subscript'
            ? stringContent(left.childForFieldName('subscript') ?? left)
            : undefined;
      if (setting && CSRF_SETTINGS.has(setting) && isOff(node.childForFieldName('right'), context))
        reportSetting(context, node, setting);
    },
    call(node, context) {
      const fn = node.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      if (method && CONFIG_UPDATERS.has(method)) {
        for (const setting of CSRF_SETTINGS) {
          if (isOff(context.keywordArgument(node, setting), context)) reportSetting(context, node, setting);
        }
        const mapping = context.argument(node, 0);
        for (const pair of mapping?.type === 'dictionary' ? mapping.namedChildren : []) {
          const key = context.stringValue(pair.childForFieldName('key'));
          if (key && CSRF_SETTINGS.has(key) && isOff(pair.childForFieldName('value'), context))
            reportSetting(context, node, key);
        }
        return;
      }
      const receiver = exemptReceiver(fn ?? undefined);
      if (receiver && node.parent?.type !== 'decorator' && isCsrfProtect(receiver, context))
        context.report({ node, messageId: 'exempt', data: { receiver: receiver.text } });
    },
    decorator(node, context) {
      const receiver = exemptReceiver(node.namedChildren.find((c) => c.type !== 'comment'));
      if (receiver && isCsrfProtect(receiver, context))
        context.report({ node, messageId: 'exempt', data: { receiver: receiver.text } });
    },
  },
  tests: {
    valid: [
      'from flask_wtf.csrf import CSRFProtect\ncsrf = CSRFProtect(app)\napp.config["WTF_CSRF_TIME_LIMIT"] = 3600',
      'class TestingConfig(Config):\n    WTF_CSRF_ENABLED = False',
      {
        code: 'app.config["WTF_CSRF_ENABLED"] = False  # tests post forms without tokens',
        filename: 'tests/conftest.py',
      },
      'WTF_CSRF_ENABLED = True\napp.config.update(WTF_CSRF_SSL_STRICT=True)',
      'limiter = Limiter(app)\n\n@limiter.exempt\ndef health():\n    return "ok"',
    ],
    invalid: [
      {
        code: 'app.config["WTF_CSRF_ENABLED"] = False',
        errors: [{ messageId: 'configDisabled', line: 1, message: '`WTF_CSRF_ENABLED`' }],
      },
      {
        code: 'class ProductionConfig:\n    WTF_CSRF_CHECK_DEFAULT = False',
        errors: [{ messageId: 'configDisabled', line: 2, message: '`WTF_CSRF_CHECK_DEFAULT`' }],
      },
      {
        code: 'app.config.update(WTF_CSRF_ENABLED=False)\napp.config.from_mapping({"WTF_CSRF_CHECK_DEFAULT": 0})',
        errors: [
          { messageId: 'configDisabled', line: 1 },
          { messageId: 'configDisabled', line: 2 },
        ],
      },
      {
        code: 'from flask_wtf.csrf import CSRFProtect\ncsrf = CSRFProtect()\n\n@app.post("/hook")\n@csrf.exempt\ndef hook():\n    pass',
        errors: [{ messageId: 'exempt', line: 5, message: '`csrf.exempt`' }],
      },
      {
        code: 'from flask_wtf import CSRFProtect as Protect\nprotect = Protect(app)\nprotect.exempt(api_blueprint)',
        errors: [{ messageId: 'exempt', line: 3 }],
      },
    ],
  },
});
