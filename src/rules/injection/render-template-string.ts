import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { originEvidence } from '../support/command-origin.js';
import { isInstanceOf, methodOf, receiverOf, tracedSource } from '../support/tainted-sink.js';
import { builtString } from '../support/template-strings.js';

/** Functions that compile their first argument as a Jinja template and render it. */
const TEMPLATE_RENDERERS = new Set([
  'flask.render_template_string',
  'flask.templating.render_template_string',
  'quart.render_template_string',
]);

/** Jinja2 classes that compile their first argument as template source. */
const TEMPLATE_CLASSES = new Set(['jinja2.Template', 'jinja2.environment.Template']);

/** Environments whose templates cannot reach Python internals, so template source from data is contained. */
const SANDBOXES = new Set(['jinja2.sandbox.SandboxedEnvironment', 'jinja2.sandbox.ImmutableSandboxedEnvironment']);

interface TemplateSink {
  name: string;
  source: SyntaxNode | undefined;
  /** Compiling a template is how Jinja is used: a source passed whole is reported only when it is request data. */
  compiles: boolean;
}

function templateSink(call: SyntaxNode, context: RuleContext): TemplateSink | undefined {
  const fn = context.calleeName(call);
  if (fn && TEMPLATE_RENDERERS.has(fn))
    return { name: fn.split('.').at(-1)!, source: context.argument(call, 0, 'source'), compiles: false };
  if (fn && TEMPLATE_CLASSES.has(fn))
    return { name: 'jinja2.Template', source: context.argument(call, 0, 'source'), compiles: true };
  if (methodOf(call) !== 'from_string' || !context.isModuleImported('jinja2')) return undefined;
  const receiver = receiverOf(call);
  if (receiver && isInstanceOf(context, receiver, SANDBOXES)) return undefined;
  return { name: 'Environment.from_string', source: context.argument(call, 0, 'source'), compiles: true };
}

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
        "`jinja2.Template(source)` and `Environment.from_string(source)` are reported when the source is built from data or comes from request data; a sandboxed environment's `from_string` is not reported. For `render_template_string`, a template source loaded from a trusted file or database and passed in a variable is reported at low confidence.",
      references: [
        'https://flask.palletsprojects.com/en/stable/api/#flask.render_template_string',
        'https://portswigger.net/web-security/server-side-template-injection',
        'https://cwe.mitre.org/data/definitions/1336.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = templateSink(node, context);
      const source = sink?.source;
      const evidence = source && originEvidence(context, source, 'template');
      if (!sink || !source || !evidence) return;
      const built = builtString(context, source);
      if (built) context.report({ node, messageId: 'built', data: { fn: sink.name, how: built.how }, ...evidence });
      else if (!sink.compiles || tracedSource(context, [source], 'template'))
        context.report({
          node,
          messageId: 'dynamic',
          data: { fn: sink.name },
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
      'import jinja2\n\nTEMPLATE = jinja2.Template("Hello {{ name }}")\n\ndef greet(request):\n    return TEMPLATE.render(name=request.GET["name"])',
      'import jinja2\n\ndef render(path, **context):\n    with open(path) as handle:\n        return jinja2.Template(handle.read()).render(**context)',
      'from jinja2.sandbox import SandboxedEnvironment\nfrom flask import request\n\nenv = SandboxedEnvironment()\n\ndef preview():\n    return env.from_string(request.form["template"]).render(user="x")',
      'from jinja2 import Environment, FileSystemLoader\nfrom flask import request\n\nenv = Environment(loader=FileSystemLoader("templates"), autoescape=True)\n\ndef page():\n    return env.get_template("page.html").render(q=request.args["q"])',
      'from jinja2 import Environment\n\nenv = Environment(autoescape=True)\n\ndef render_subject(subject_template, order):\n    return env.from_string(subject_template).render(order=order)',
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
      {
        code: 'import jinja2\nfrom flask import request\n\ndef preview():\n    return jinja2.Template(request.form["template"]).render()',
        errors: [{ messageId: 'dynamic', line: 5, confidence: 'high', message: 'jinja2.Template' }],
      },
      {
        code: 'from jinja2 import Template\n\ndef greet(request):\n    name = request.GET.get("name", "guest")\n    return Template("<p>Hello " + name + "</p>").render()',
        errors: [{ messageId: 'built', line: 5, message: 'concatenation' }],
      },
      {
        code: 'from jinja2 import Environment\nfrom flask import request\n\nenv = Environment(autoescape=True)\n\ndef mail():\n    body = request.json["body"]\n    return env.from_string(body).render(user=current_user)',
        errors: [{ messageId: 'dynamic', line: 8, message: 'Environment.from_string' }],
      },
      {
        code: 'import jinja2\nfrom flask import request\n\ndef title():\n    return jinja2.Environment(autoescape=True).from_string(f"<title>{request.args[\'t\']}</title>").render()',
        errors: [{ messageId: 'built', line: 5, message: 'an f-string' }],
      },
      {
        code: 'import jinja2\n\ndef banner(user):\n    return jinja2.Template("Welcome back, %s!" % user.display_name).render()',
        errors: [{ messageId: 'built', line: 4, confidence: 'medium', message: '%-formatting' }],
      },
    ],
  },
});
