import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { methodOf, tracedSource } from '../support/tainted-sink.js';
import { builtString } from '../support/template-strings.js';

/** Functions and classes that compile or evaluate an XPath expression, with where it goes. */
const XPATH_FUNCTIONS = new Map<string, { position: number; keyword: string }>([
  ['lxml.etree.XPath', { position: 0, keyword: 'path' }],
  ['lxml.etree.ETXPath', { position: 0, keyword: 'path' }],
  ['elementpath.select', { position: 1, keyword: 'path' }],
  ['elementpath.iter_select', { position: 1, keyword: 'path' }],
  ['elementpath.Selector', { position: 0, keyword: 'path' }],
]);

/** Methods that evaluate their first argument as XPath: lxml's elements and trees, parsel/Scrapy selectors. */
const XPATH_METHODS = new Set(['xpath']);

/** Libraries whose `.xpath(…)` evaluates XPath; without one of them, `xpath` is someone else's method. */
const XPATH_LIBRARIES = ['lxml', 'parsel', 'scrapy', 'elementpath'];

function xpathSink(call: SyntaxNode, context: RuleContext): { fn: string; expression: SyntaxNode } | undefined {
  const callee = context.calleeName(call);
  const known = callee ? XPATH_FUNCTIONS.get(callee) : undefined;
  if (known) {
    const expression = context.argument(call, known.position, known.keyword);
    return expression && { fn: callee!, expression };
  }
  const method = methodOf(call);
  if (!method || !XPATH_METHODS.has(method) || !XPATH_LIBRARIES.some((m) => context.isModuleImported(m)))
    return undefined;
  const expression = context.argument(call, 0, '_path') ?? context.keywordArgument(call, 'query');
  return expression && { fn: `.${method}()`, expression };
}

export default createRule({
  id: 'xpath-injection',
  meta: {
    title: 'XPath expression built from untrusted input',
    category: 'injection',
    cwe: [643],
    severity: 'high',
    confidence: 'high',
    equivalents: {},
    messages: {
      built: '`{{fn}}` evaluates XPath built with {{how}} from {{source}}; a quote in it rewrites the query',
      tainted: '`{{fn}}` evaluates an XPath expression that comes from {{source}}',
    },
    docs: {
      why: "A value spliced into an XPath expression is parsed as XPath. A quote in it closes the string literal, and what follows becomes part of the query: `' or '1'='1` matches every user in an XML user store, and other predicates read nodes the query was meant to hide. XPath has no comments or multiple statements, but a rewritten predicate is enough to bypass a login or leak a document.",
      example:
        'from flask import request\nfrom lxml import etree\n\nUSERS = etree.parse("users.xml")\n\n@app.post("/login")\ndef login():\n    name = request.form["name"]\n    password = request.form["password"]\n    found = USERS.xpath(f"//user[name=\'{name}\' and password=\'{password}\']")\n    return "ok" if found else "denied"',
      fix: 'Keep the expression constant and pass values as XPath variables, which lxml binds without parsing them (`$name` in the expression, `name=value` in the call); `etree.XPath` takes variables the same way when called.\n\n```python\nfrom flask import request\nfrom lxml import etree\n\nUSERS = etree.parse("users.xml")\nFIND_USER = etree.XPath("//user[name=$name and password=$password]")\n\n@app.post("/login")\ndef login():\n    found = FIND_USER(USERS, name=request.form["name"], password=request.form["password"])\n    return "ok" if found else "denied"\n```',
      knownProblems:
        "Only flows from web request data or route parameters are reported, with their trace: scrapers build XPath from the pages they crawl and their own configuration all the time. `.xpath(…)` is recognised in files that import lxml, parsel, Scrapy or elementpath; ElementTree's `find`/`findall` path syntax is not covered.",
      references: [
        'https://owasp.org/www-community/attacks/XPATH_Injection',
        'https://lxml.de/xpathxslt.html#the-xpath-method',
        'https://cwe.mitre.org/data/definitions/643.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const sink = xpathSink(node, context);
      const flow = sink && tracedSource(context, [sink.expression], 'xpath');
      if (!sink || !flow) return;
      const built = builtString(context, sink.expression);
      const source = flow.origin.source ?? 'untrusted input';
      context.report({
        node,
        messageId: built ? 'built' : 'tainted',
        data: { fn: sink.fn, source, how: built?.how ?? '' },
        confidence: flow.origin.confidence,
        origin: flow.origin,
      });
    },
  },
  tests: {
    valid: [
      'from flask import request\nfrom lxml import etree\n\ndef find(tree):\n    return tree.xpath("//user[@name=$name]", name=request.args["name"])',
      'from flask import request\nfrom lxml import etree\n\nFIND = etree.XPath("//book[@isbn=$isbn]")\n\ndef book(tree):\n    return FIND(tree, isbn=request.args["isbn"])',
      'from lxml import html\n\ndef titles(page, css_class):\n    return html.fromstring(page).xpath(f"//h2[@class=\'{css_class}\']/text()")',
      'from flask import request\nfrom lxml import etree\n\ndef count(tree):\n    limit = int(request.args["limit"])\n    return tree.xpath(f"//item[position() <= {limit}]")',
      'from flask import request\n\ndef f(store):\n    return store.xpath(request.args["q"])',
      'import parsel\n\ndef prices(response, field):\n    return parsel.Selector(response.text).xpath("//span[@itemprop=$f]/text()", f=field).getall()',
    ],
    invalid: [
      {
        code: 'from flask import request\nfrom lxml import etree\n\ndef find(tree):\n    name = request.args["name"]\n    return tree.xpath(f"//user[@name=\'{name}\']")',
        errors: [{ messageId: 'built', line: 6, confidence: 'high', message: 'an f-string' }],
      },
      {
        code: 'from lxml import etree\n\ndef search(request):\n    expr = etree.XPath("//product[contains(name, \'%s\')]" % request.GET["q"])\n    return expr(CATALOG)',
        errors: [{ messageId: 'built', line: 4, message: 'lxml.etree.XPath' }],
      },
      {
        code: 'from flask import request\nfrom lxml import etree\n\ndef query(doc):\n    return doc.xpath(request.json["xpath"])',
        errors: [{ messageId: 'tainted', line: 5, message: 'request.json' }],
      },
      {
        code: 'from flask import request\nfrom lxml import etree\n\nUSERS = etree.parse("users.xml")\n\ndef login():\n    q = "//user[name=\'" + request.form["name"] + "\' and password=\'" + request.form["password"] + "\']"\n    return bool(USERS.xpath(q))',
        errors: [{ messageId: 'built', line: 8, message: 'concatenation' }],
      },
      {
        code: 'import elementpath\nfrom flask import request\n\ndef select(root):\n    return elementpath.select(root, "//item[@id=\'{}\']".format(request.args["id"]))',
        errors: [{ messageId: 'built', line: 5, message: 'elementpath.select' }],
      },
      {
        code: 'from lxml.etree import ETXPath\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/nodes")\ndef nodes(tag: str):\n    return ETXPath("//{http://example.com/ns}" + tag)',
        errors: [{ messageId: 'built', line: 7, message: 'route parameter' }],
      },
    ],
  },
});
