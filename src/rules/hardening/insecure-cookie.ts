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
import { hasNameWord, isTestPath, stringContent } from '../support/secrets-names.js';

type MessageId = 'cookieFlags' | 'insecureSetting';

/** Words that make a cookie's name say it carries a session or a credential. */
const SESSION_WORDS = new Set([
  'session',
  'sessionid',
  'sess',
  'sid',
  'auth',
  'token',
  'jwt',
  'remember',
  'login',
  'csrf',
  'xsrf',
  'access',
  'refresh',
  'credentials',
  'apikey',
]);
/** Cookies that JavaScript must read to send them back in a header: `HttpOnly` would break them. */
const SCRIPT_READ = /csrf|xsrf/i;

/**
 * Settings whose false value sends the session or CSRF cookie without `Secure` or `HttpOnly`:
 * Django's and Flask's own, and Flask-Login's remember-me cookie.
 */
const COOKIE_SETTINGS: ReadonlyMap<string, string> = new Map([
  ['SESSION_COOKIE_SECURE', 'Secure'],
  ['SESSION_COOKIE_HTTPONLY', 'HttpOnly'],
  ['CSRF_COOKIE_SECURE', 'Secure'],
  ['LANGUAGE_COOKIE_SECURE', 'Secure'],
  ['REMEMBER_COOKIE_SECURE', 'Secure'],
  ['REMEMBER_COOKIE_HTTPONLY', 'HttpOnly'],
]);

/** Flask configuration modules loaded with `from_pyfile` or `from_object`. */
const CONFIG_MODULE = /(^|[/\\])[^/\\]*config[^/\\]*\.py$/i;

/** The name a cookie is set under: a literal, or the last name of the expression that holds it. */
function cookieName(node: SyntaxNode | undefined, context: RuleContext<MessageId>): string | undefined {
  if (!node) return undefined;
  const literal = context.stringValue(node);
  if (literal !== undefined) return literal;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text;
  if (node.type === 'subscript') {
    const key = node.childForFieldName('subscript');
    return key ? stringContent(key) : undefined;
  }
  return undefined;
}

/** Names written as one word still count: `sessionid`, `csrftoken`, `XSRF-TOKEN`. */
const SESSION_PARTS = /session|csrf|xsrf|token|jwt/i;

function isSessionLike(name: string): boolean {
  return SESSION_PARTS.test(name) || hasNameWord(name, SESSION_WORDS);
}

/** How a cookie attribute is set: absent, explicitly off, or on (or decided at run time, which we trust). */
function flagState(value: SyntaxNode | undefined, context: RuleContext<MessageId>): 'absent' | 'off' | 'on' {
  if (!value) return 'absent';
  const literal = context.literalValue(value);
  return literal === false || literal === 0 || literal === null || literal === '' ? 'off' : 'on';
}

function isOff(value: SyntaxNode, context: RuleContext<MessageId>): boolean {
  const literal = context.literalValue(value);
  return literal === false || literal === 0;
}

/** A module-level setting counts in a Django settings module or a configuration module (`config.py`). */
function isSettingsModule(setting: SettingValue, context: RuleContext<MessageId>): boolean {
  const moduleLevel =
    setting.node.childForFieldName('left')?.type === 'identifier' && setting.node.parent?.parent?.type === 'module';
  return !moduleLevel || isDjangoSettings(context) || CONFIG_MODULE.test(context.path);
}

function checkSetting(setting: SettingValue, context: RuleContext<MessageId>): void {
  const attribute = COOKIE_SETTINGS.get(setting.name);
  if (!attribute || !isOff(setting.value, context) || isDevelopmentSetting(setting.node, context)) return;
  if (!isSettingsModule(setting, context)) return;
  context.report({ node: setting.node, messageId: 'insecureSetting', data: { setting: setting.name, attribute } });
}

export default createRule({
  id: 'insecure-cookie',
  meta: {
    title: 'Session cookie without Secure, HttpOnly or SameSite',
    category: 'hardening',
    cwe: [614, 1004, 1275],
    severity: 'medium',
    confidence: 'medium',
    equivalents: {
      semgrep: [
        'python.flask.security.audit.secure-set-cookie.secure-set-cookie',
        'python.django.security.audit.secure-cookies.django-secure-set-cookie',
      ],
    },
    messages: {
      cookieFlags:
        'The `{{name}}` cookie is set without {{missing}}; a session or credential cookie needs `secure=True`, `httponly=True` and `samesite="Lax"` (or `"Strict"`)',
      insecureSetting: '`{{setting}}` is set to False, so the cookie is sent without the `{{attribute}}` attribute',
    },
    docs: {
      why: 'A cookie without `Secure` is also sent over plain HTTP, where anyone on the network path reads it; one without `HttpOnly` can be read by any script on the page, so a single XSS steals the session; one without `SameSite` goes along with requests that other sites trigger, which is what cross-site request forgery needs. For a session, remember-me, CSRF or token cookie, each of these hands over the account.',
      example:
        'from flask import Flask, make_response\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    response = make_response("welcome")\n    response.set_cookie("session_id", new_session_id())\n    return response',
      fix: 'Set all three attributes on cookies that identify a user, and keep the framework settings on their secure values in production.\n\n```python\nfrom flask import Flask, make_response\n\napp = Flask(__name__)\n\n@app.post("/login")\ndef login():\n    response = make_response("welcome")\n    response.set_cookie("session_id", new_session_id(), secure=True, httponly=True, samesite="Lax")\n    return response\n```',
      knownProblems:
        "`set_cookie` (Flask, Werkzeug, Django, Starlette, aiohttp, Tornado) is reported only for cookies whose name says they carry a session or a credential (`session`, `sid`, `auth`, `token`, `jwt`, `remember`, `login`, `csrf`, `access`, `refresh`); preference cookies such as `theme` are left alone. A flag passed as an expression is trusted, since it is usually a setting. CSRF cookies are not asked for `HttpOnly`, which would stop the page script from sending the token back. Missing `SameSite` alone is reported at low severity, since browsers now treat cookies without it as `Lax`. The settings `SESSION_COOKIE_SECURE`, `SESSION_COOKIE_HTTPONLY`, `CSRF_COOKIE_SECURE`, `LANGUAGE_COOKIE_SECURE` and Flask-Login's `REMEMBER_COOKIE_SECURE` and `REMEMBER_COOKIE_HTTPONLY` are reported when set to False in `app.config`, in a configuration class, or at module level of a Django settings module or a configuration module (`config.py`), except in test modules, development settings files (`settings/dev.py`, `local_settings.py`) and classes named for development or tests. Leaving a Django setting at its insecure default is not reported here; `manage.py check --deploy` covers that.",
      references: [
        'https://owasp.org/www-community/controls/SecureCookieAttribute',
        'https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies',
        'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure',
        'https://flask.palletsprojects.com/en/stable/security/#set-cookie-options',
        'https://cwe.mitre.org/data/definitions/614.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      for (const setting of settingsInCall(node, context)) checkSetting(setting, context);
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'set_cookie') return;
      if (context.hasUnpackedArguments(node) || isTestPath(context.path)) return;
      const name = cookieName(context.argument(node, 0, 'key') ?? context.keywordArgument(node, 'name'), context);
      if (!name || !isSessionLike(name)) return;
      const scriptRead = SCRIPT_READ.test(name);
      const secure = flagState(context.keywordArgument(node, 'secure'), context);
      const httponly = flagState(context.keywordArgument(node, 'httponly'), context);
      const samesite = flagState(context.keywordArgument(node, 'samesite'), context);
      const missing = [
        ...(secure !== 'on' ? ['`Secure`'] : []),
        ...(httponly !== 'on' && !scriptRead ? ['`HttpOnly`'] : []),
      ];
      const onlySameSite = missing.length === 0;
      if (samesite !== 'on') missing.push('`SameSite`');
      if (missing.length === 0) return;
      const shown = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0];
      context.report({
        node,
        messageId: 'cookieFlags',
        data: { name, missing: shown },
        ...(onlySameSite ? { severity: 'low' as const } : {}),
      });
    },
    assignment(node, context) {
      const setting = assignedSetting(node);
      if (setting) checkSetting(setting, context);
    },
  },
  tests: {
    valid: [
      'def login(response, sid):\n    response.set_cookie("session_id", sid, secure=True, httponly=True, samesite="Strict")',
      'def prefs(response):\n    response.set_cookie("theme", "dark")\n    response.set_cookie("lang", "fr", max_age=3600)',
      'from django.conf import settings\n\ndef view(response, key):\n    response.set_cookie(settings.SESSION_COOKIE_NAME, key, secure=settings.SESSION_COOKIE_SECURE, httponly=settings.SESSION_COOKIE_HTTPONLY, samesite=settings.SESSION_COOKIE_SAMESITE)',
      'def csrf(response, token):\n    response.set_cookie("csrftoken", token, secure=True, samesite="Lax")',
      'def login(response, cookie_args):\n    response.set_cookie("auth_token", "x", **cookie_args)',
      { code: 'def test_login(client):\n    client.set_cookie("session", "abc")', filename: 'tests/test_auth.py' },
      { code: 'SESSION_COOKIE_SECURE = False\nDEBUG = True', filename: 'mysite/settings/dev.py' },
      'class DevelopmentConfig(Config):\n    SESSION_COOKIE_SECURE = False',
      'SESSION_COOKIE_SECURE = True\nCSRF_COOKIE_SECURE = True\nCSRF_COOKIE_HTTPONLY = False',
      'def configure(app):\n    SESSION_COOKIE_SECURE = False\n    return SESSION_COOKIE_SECURE',
      { code: 'INSTALLED_APPS = []\nSESSION_COOKIE_SECURE = False', filename: 'django/conf/global_settings.py' },
    ],
    invalid: [
      {
        code: 'from flask import make_response\n\ndef login(sid):\n    response = make_response("ok")\n    response.set_cookie("session_id", sid)\n    return response',
        errors: [
          {
            messageId: 'cookieFlags',
            line: 5,
            severity: 'medium',
            message: 'without `Secure`, `HttpOnly` and `SameSite`',
          },
        ],
      },
      {
        code: 'def remember(resp, token):\n    resp.set_cookie(key="remember_token", value=token, httponly=True, samesite="Lax")',
        errors: [{ messageId: 'cookieFlags', message: 'without `Secure`;' }],
      },
      {
        code: 'def issue(response, jwt):\n    response.set_cookie("access_token", jwt, secure=False, httponly=True, samesite="strict")',
        errors: [{ messageId: 'cookieFlags', message: '`access_token`' }],
      },
      {
        code: 'SESSION_COOKIE_NAME = "sid"\n\ndef view(response, key):\n    response.set_cookie(SESSION_COOKIE_NAME, key, secure=True, httponly=True)',
        errors: [{ messageId: 'cookieFlags', line: 4, severity: 'low', message: 'without `SameSite`' }],
      },
      {
        code: 'from starlette.responses import Response\n\ndef csrf(token):\n    r = Response()\n    r.set_cookie("csrftoken", token, httponly=False)\n    return r',
        errors: [{ messageId: 'cookieFlags', message: 'without `Secure` and `SameSite`' }],
      },
      {
        code: 'DEBUG = False\nSESSION_COOKIE_SECURE = False\nCSRF_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = False',
        filename: 'mysite/settings.py',
        errors: [
          { messageId: 'insecureSetting', line: 2, message: '`Secure`' },
          { messageId: 'insecureSetting', line: 3 },
          { messageId: 'insecureSetting', line: 4, message: '`HttpOnly`' },
        ],
      },
      {
        code: 'app.config["SESSION_COOKIE_SECURE"] = False\napp.config.update(SESSION_COOKIE_HTTPONLY=False, REMEMBER_COOKIE_SECURE=0)',
        errors: [
          { messageId: 'insecureSetting', line: 1 },
          { messageId: 'insecureSetting', line: 2, message: 'SESSION_COOKIE_HTTPONLY' },
          { messageId: 'insecureSetting', line: 2, message: 'REMEMBER_COOKIE_SECURE' },
        ],
      },
      {
        code: 'class ProductionConfig:\n    SESSION_COOKIE_SECURE = False',
        errors: [{ messageId: 'insecureSetting', line: 2 }],
      },
    ],
  },
});
