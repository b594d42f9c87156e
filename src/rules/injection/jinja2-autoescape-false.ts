import { createRule } from '../create-rule.js';

/** Jinja environments, whose `autoescape` defaults to False. */
const ENVIRONMENTS = new Set([
  'jinja2.Environment',
  'jinja2.environment.Environment',
  'jinja2.sandbox.SandboxedEnvironment',
]);

/** Functions that make a Jinja environment with `autoescape` on unless told otherwise (aiohttp-jinja2). */
const ESCAPING_ENVIRONMENTS = new Set(['aiohttp_jinja2.setup']);

export default createRule({
  id: 'jinja2-autoescape-false',
  meta: {
    title: 'Jinja2 environment without autoescaping',
    category: 'injection',
    cwe: [79],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B701'], ruff: ['S701'] },
    messages: {
      disabled: '`{{fn}}` is created with `autoescape` off; values rendered into HTML are not escaped',
      missing: '`{{fn}}` is created without `autoescape`, which defaults to off',
    },
    docs: {
      why: 'A Jinja2 `Environment` does not escape `{{ value }}` unless `autoescape` is turned on (Flask turns it on for its own environment; a hand-made one does not). Any value with `<script>` or an `onerror=` attribute in it then runs in the browser of whoever views the page (cross-site scripting).',
      example:
        'import jinja2\n\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=False)',
      fix: 'Pass `autoescape=True`, or `autoescape=jinja2.select_autoescape()` to escape only templates whose names end in `.html`, `.htm` or `.xml`.\n\n```python\nimport jinja2\n\nenv = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"), autoescape=True)\n```',
      knownProblems:
        'An environment that renders only plain text, SQL or configuration files does not need escaping; pass `autoescape=False` with a suppression comment that says so. An `autoescape` set from a variable or a function is trusted. `aiohttp_jinja2.setup` escapes by default and is reported only when `autoescape` is turned off.',
      references: [
        'https://jinja.palletsprojects.com/en/stable/api/#autoescaping',
        'https://jinja.palletsprojects.com/en/stable/api/#jinja2.select_autoescape',
        'https://cwe.mitre.org/data/definitions/79.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn || !(ENVIRONMENTS.has(fn) || ESCAPING_ENVIRONMENTS.has(fn))) return;
      const autoescape = context.keywordArgument(node, 'autoescape');
      if (!autoescape) {
        if (ESCAPING_ENVIRONMENTS.has(fn)) return;
        if (!context.hasUnpackedArguments(node))
          context.report({ node, messageId: 'missing', data: { fn }, confidence: 'medium' });
        return;
      }
      const value = context.literalValue(autoescape);
      if (value !== false && value !== 0 && value !== null) return;
      const literal = ['False', '0', 'None'].includes(autoescape.text);
      context.report({
        node,
        messageId: 'disabled',
        data: { fn },
        ...(literal
          ? { fix: { description: 'Turn autoescaping on', edits: [context.replaceNode(autoescape, 'True')] } }
          : {}),
      });
    },
  },
  tests: {
    valid: [
      'import jinja2\nenv = jinja2.Environment(autoescape=True)',
      'from jinja2 import Environment, select_autoescape\nenv = Environment(autoescape=select_autoescape(["html"]))',
      'import jinja2\nenv = jinja2.Environment(**options)',
      'class Environment:\n    pass\nEnvironment()',
      'import jinja2\nenv = jinja2.Environment(autoescape=settings.AUTOESCAPE)',
      'import aiohttp_jinja2\nimport jinja2\naiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader("templates"))',
      'import aiohttp_jinja2\nimport jinja2\naiohttp_jinja2.setup(app, loader=jinja2.PackageLoader("shop"), autoescape=True)',
      'from aiohttp_jinja2 import setup\nimport jinja2\nsetup(app, loader=jinja2.FileSystemLoader(str(BASE / "templates")), context_processors=[aiohttp_jinja2.request_processor])',
      'import aiohttp_jinja2\nimport jinja2\naiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader("templates"), autoescape=jinja2.select_autoescape(["html", "xml"]))',
      'import aiohttp_jinja2\naiohttp_jinja2.setup(app, **jinja_options)',
    ],
    invalid: [
      {
        code: 'import jinja2\nenv = jinja2.Environment(loader=loader, autoescape=False)',
        errors: [{ messageId: 'disabled', line: 2, confidence: 'high' }],
        output: 'import jinja2\nenv = jinja2.Environment(loader=loader, autoescape=True)',
      },
      {
        code: 'from jinja2 import Environment as Env\nenv = Env(loader=loader)',
        errors: [{ messageId: 'missing', confidence: 'medium', message: 'jinja2.Environment' }],
      },
      {
        code: 'from jinja2.sandbox import SandboxedEnvironment\nESCAPE = False\nenv = SandboxedEnvironment(autoescape=ESCAPE)',
        errors: [{ messageId: 'disabled', line: 3 }],
      },
      {
        code: 'import jinja2\nenv = jinja2.Environment(\n    loader=loader,\n    autoescape=False,\n)',
        errors: [{ messageId: 'disabled', line: 2 }],
        output: 'import jinja2\nenv = jinja2.Environment(\n    loader=loader,\n    autoescape=True,\n)',
      },
      {
        code: 'import aiohttp_jinja2\nimport jinja2\naiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader("templates"), autoescape=False)',
        errors: [{ messageId: 'disabled', line: 3, message: 'aiohttp_jinja2.setup' }],
        output:
          'import aiohttp_jinja2\nimport jinja2\naiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader("templates"), autoescape=True)',
      },
      {
        code: 'from aiohttp_jinja2 import setup as setup_jinja\nimport jinja2\n\ndef init(app):\n    setup_jinja(app, loader=jinja2.PackageLoader("blog"), autoescape=None)',
        errors: [{ messageId: 'disabled', line: 5 }],
        output:
          'from aiohttp_jinja2 import setup as setup_jinja\nimport jinja2\n\ndef init(app):\n    setup_jinja(app, loader=jinja2.PackageLoader("blog"), autoescape=True)',
      },
      {
        code: 'import aiohttp_jinja2\nimport jinja2\nDEBUG_TEMPLATES = False\naiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader("t"), autoescape=DEBUG_TEMPLATES)',
        errors: [{ messageId: 'disabled', line: 4 }],
      },
      {
        code: 'import aiohttp_jinja2\nimport jinja2\n\nasync def create_app():\n    app = web.Application()\n    aiohttp_jinja2.setup(\n        app,\n        loader=jinja2.FileSystemLoader("templates"),\n        autoescape=0,\n    )\n    return app',
        errors: [{ messageId: 'disabled', line: 6 }],
        output:
          'import aiohttp_jinja2\nimport jinja2\n\nasync def create_app():\n    app = web.Application()\n    aiohttp_jinja2.setup(\n        app,\n        loader=jinja2.FileSystemLoader("templates"),\n        autoescape=True,\n    )\n    return app',
      },
      {
        code: 'import aiohttp_jinja2\nfrom jinja2 import FileSystemLoader\naiohttp_jinja2.setup(app, autoescape=False, loader=FileSystemLoader("templates"), enable_async=True)',
        errors: [{ messageId: 'disabled', line: 3 }],
        output:
          'import aiohttp_jinja2\nfrom jinja2 import FileSystemLoader\naiohttp_jinja2.setup(app, autoescape=True, loader=FileSystemLoader("templates"), enable_async=True)',
      },
    ],
  },
});
