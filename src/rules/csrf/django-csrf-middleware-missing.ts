import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';

const SETTINGS_NAMES = new Set(['MIDDLEWARE', 'MIDDLEWARE_CLASSES']);

/** True when the module rebinds or mutates the list elsewhere (`MIDDLEWARE += […]`, `MIDDLEWARE.insert(…)`). */
function isChangedElsewhere(name: SyntaxNode, context: RuleContext<'missing'>): boolean {
  if (context.bindingsOf(name).length > 1) return true;
  return new RegExp(`\\b${name.text}\\.(append|insert|extend|remove)\\(`).test(context.source);
}

export default createRule({
  id: 'django-csrf-middleware-missing',
  meta: {
    title: 'Django settings without CsrfViewMiddleware',
    category: 'csrf',
    cwe: [352],
    severity: 'high',
    confidence: 'medium',
    equivalents: {},
    messages: {
      missing:
        '`{{name}}` lists Django middleware but not `django.middleware.csrf.CsrfViewMiddleware`, so no view is protected against CSRF',
    },
    docs: {
      why: "Django checks CSRF tokens only when `django.middleware.csrf.CsrfViewMiddleware` is installed. Without it every POST, PUT and DELETE view accepts requests forged by other sites, which the browser sends with the user's session cookie.",
      example:
        'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]',
      fix: 'Add the middleware back, after the session and common middleware as in Django\'s default settings; exempt individual views only where they authenticate requests another way.\n\n```python\nMIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]\n```',
      knownProblems:
        'Only a module-level `MIDDLEWARE` (or the pre-1.10 `MIDDLEWARE_CLASSES`) assigned a literal list or tuple of strings is checked, and only when it names some `django.*` middleware, which marks it as Django settings. A list that is extended elsewhere in the module, or that unpacks another list, is left alone because the middleware may come from there. Any entry whose last part ends in `CsrfViewMiddleware` counts, so project subclasses are accepted. A commented-out entry counts as absent.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/csrf/',
        'https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.csrf',
        'https://cwe.mitre.org/data/definitions/352.html',
      ],
    },
  },
  visitors: {
    assignment(node, context) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'identifier' || !SETTINGS_NAMES.has(left.text) || !right) return;
      if (node.parent?.type !== 'expression_statement' || node.parent.parent?.type !== 'module') return;
      if (right.type !== 'list' && right.type !== 'tuple') return;
      const entries = context.literalValue(right);
      if (!Array.isArray(entries) || !entries.every((e): e is string => typeof e === 'string')) return;
      if (!entries.some((e) => e.startsWith('django.'))) return;
      if (entries.some((e) => (e.split('.').at(-1) ?? '').endsWith('CsrfViewMiddleware'))) return;
      if (isChangedElsewhere(left, context)) return;
      context.report({ node, messageId: 'missing', data: { name: left.text } });
    },
  },
  tests: {
    valid: [
      'MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]',
      'MIDDLEWARE = ["myapp.middleware.TimingMiddleware"]',
      'MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",\n    *BASE_MIDDLEWARE,\n]',
      'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\nMIDDLEWARE += ["django.middleware.csrf.CsrfViewMiddleware"]',
      'MIDDLEWARE = ("django.middleware.common.CommonMiddleware", "core.middleware.StrictCsrfViewMiddleware")',
      'MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\nMIDDLEWARE.insert(0, "django.middleware.csrf.CsrfViewMiddleware")',
      'def settings():\n    MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n    return MIDDLEWARE',
    ],
    invalid: [
      {
        code: 'MIDDLEWARE = [\n    "django.middleware.common.CommonMiddleware",\n    "django.contrib.auth.middleware.AuthenticationMiddleware",\n]',
        errors: [{ messageId: 'missing', line: 1 }],
      },
      {
        code: 'MIDDLEWARE_CLASSES = (\n    "django.middleware.common.CommonMiddleware",\n    # "django.middleware.csrf.CsrfViewMiddleware",\n)',
        errors: [{ messageId: 'missing', message: '`MIDDLEWARE_CLASSES`' }],
      },
      {
        code: 'import os\nDEBUG = False\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]',
        errors: [{ messageId: 'missing', line: 3 }],
      },
    ],
  },
});
