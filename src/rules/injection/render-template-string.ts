import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { builtString } from '../support/template-strings.js';

/** Functions that compile their first argument as a Jinja template and render it. */
const TEMPLATE_RENDERERS = new Set([
  'flask.render_template_string',
  'flask.templating.render_template_string',
  'quart.render_template_string',
]);

export default createRule({
  id: 'render-template-string',
  meta: {
    title: 'Template source built from data (server-side template injection)',
    category: 'injection',
    cwe: [1336, 94],
    severity: 'high',
    confidence: 'medium',
    equivalents: {},
    messages: {
      built: '`{{fn}}` renders a template whose source is built with {{how}}; data in it runs as Jinja code',
      dynamic: '`{{fn}}` renders a template whose source is not a literal',
    },
    docs: {
      why: 'The first argument of `render_template_string` is template source, compiled and run by Jinja. Data spliced into it is not a value but code: `{{ config }}` leaks the secret key, and `{{ cycler.__init__.__globals__.os.popen("id").read() }}` runs commands on the server (server-side template injection).',
      example:
        'from flask import render_template_string, request\n\ndef hello():\n    name = request.args.get("name", "")\n    return render_template_string(f"<h1>Hello {name}</h1>")',
      fix: 'Keep the template source constant and pass data as context variables, which Jinja escapes; better, move the template to a file and use `render_template`.\n\n```python\nfrom flask import render_template_string, request\n\ndef hello():\n    name = request.args.get("name", "")\n    return render_template_string("<h1>Hello {{ name }}</h1>", name=name)\n```',
      knownProblems:
        'A template source loaded from a trusted file or database and passed in a variable is reported at low confidence.',
      references: [
        'https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string',
        'https://portswigger.net/web-security/server-side-template-injection',
        'https://cwe.mitre.org/data/definitions/1336.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn || !TEMPLATE_RENDERERS.has(fn)) return;
      const source = context.argument(node, 0, 'source');
      const evidence = source && originEvidence(context, source, 'template');
      if (!source || !evidence) return;
      const built = builtString(context, source);
      const name = fn.split('.').at(-1)!;
      if (built) context.report({ node, messageId: 'built', data: { fn: name, how: built.how }, ...evidence });
      else
        context.report({
          node,
          messageId: 'dynamic',
          data: { fn: name },
          ...evidence,
          ...(evidence.kind === 'source' ? {} : { confidence: 'low' }),
        });
    },
  },
  tests: {
    valid: [
      'from flask import render_template_string\nrender_template_string("<h1>Hello {{ name }}</h1>", name=name)',
      'from flask import render_template_string\nPAGE = "<p>{{ x }}</p>"\nrender_template_string(PAGE, x=x)',
      'def render_template_string(s):\n    return s\nrender_template_string(data)',
      'from flask import render_template\nrender_template(name)',
    ],
    invalid: [
      {
        code: 'from flask import render_template_string, request\n\ndef hello():\n    name = request.args.get("name", "")\n    return render_template_string(f"<h1>Hello {name}</h1>")',
        errors: [{ messageId: 'built', line: 5, message: 'an f-string' }],
      },
      {
        code: 'import flask\nflask.render_template_string("<p>" + body + "</p>")',
        errors: [{ messageId: 'built', message: 'concatenation' }],
      },
      {
        code: 'from flask import render_template_string as rts\ndef page(template):\n    return rts(template)',
        errors: [{ messageId: 'dynamic', line: 3, confidence: 'low' }],
      },
      {
        code: 'from flask import render_template_string\ndef page(title):\n    html = "<title>%s</title>" % title\n    return render_template_string(html)',
        errors: [{ messageId: 'built', line: 4, message: '%-formatting' }],
      },
    ],
  },
});
