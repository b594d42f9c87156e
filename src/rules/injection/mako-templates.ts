import { createRule } from '../create-rule.js';

/** Mako constructors that take `default_filters`. */
const MAKO_TEMPLATES = new Set(['mako.template.Template', 'mako.lookup.TemplateLookup']);

/** Filters that HTML-escape every `${…}` expression. */
const ESCAPING_FILTERS = new Set(['h', 'x']);

export default createRule({
  id: 'mako-templates',
  meta: {
    title: 'Mako template without HTML escaping',
    category: 'injection',
    cwe: [79],
    severity: 'medium',
    confidence: 'medium',
    equivalents: { bandit: ['B702'], ruff: ['S702'] },
    messages: {
      unescaped: '`{{fn}}` renders `${…}` without HTML escaping unless every expression says `| h`',
    },
    docs: {
      why: 'Mako does not escape expressions by default: `${comment}` inserts the value as it is. Any value with `<script>` or an `onerror=` attribute in it runs in the browser of whoever views the page (cross-site scripting), unless every single expression remembers the `| h` filter.',
      example: 'from mako.template import Template\n\npage = Template("<p>${comment}</p>")',
      fix: 'Make escaping the default with `default_filters=["h"]` (then use `| n` on the rare expression that is already safe HTML), or switch to a template engine that escapes by default.\n\n```python\nfrom mako.template import Template\n\npage = Template("<p>${comment}</p>", default_filters=["h"])\n```',
      knownProblems:
        'Templates that produce plain text, e-mail bodies or configuration need no HTML escaping; suppress the finding with a comment saying so. A `default_filters` given as a variable is trusted.',
      references: [
        'https://docs.makotemplates.org/en/latest/filtering.html',
        'https://cwe.mitre.org/data/definitions/79.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn || !MAKO_TEMPLATES.has(fn)) return;
      const filters = context.keywordArgument(node, 'default_filters');
      if (filters) {
        const value = context.literalValue(filters);
        // A variable or computed list: its contents are unknown, so trust it.
        if (!Array.isArray(value) || value.some((f) => typeof f === 'string' && ESCAPING_FILTERS.has(f))) return;
      } else if (context.hasUnpackedArguments(node)) return;
      context.report({ node, messageId: 'unescaped', data: { fn: fn.split('.').at(-1)! } });
    },
  },
  tests: {
    valid: [
      'from mako.template import Template\nTemplate("<p>${x}</p>", default_filters=["h"])',
      'from mako.lookup import TemplateLookup\nTemplateLookup(directories=["t"], default_filters=["str", "h"])',
      'from string import Template\nTemplate("$who likes $what")',
      'from mako.template import Template\nTemplate(text, **options)',
    ],
    invalid: [
      {
        code: 'from mako.template import Template\npage = Template("<p>${comment}</p>")',
        errors: [{ messageId: 'unescaped', line: 2, message: '`Template`' }],
      },
      { code: 'import mako.template as mt\nmt.Template(filename="page.html")', errors: [{ messageId: 'unescaped' }] },
      {
        code: 'from mako import lookup\nlookup.TemplateLookup(directories=["t"], default_filters=["str"])',
        errors: [{ messageId: 'unescaped', message: 'TemplateLookup' }],
      },
    ],
  },
});
