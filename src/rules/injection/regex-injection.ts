import { createRule } from '../create-rule.js';
import { reportTracedFlow, tracedSource } from '../support/tainted-sink.js';

/** Functions of `re` and the third-party `regex` module that compile their first argument. */
const REGEX_FUNCTIONS = new Set(
  ['re', 'regex'].flatMap((module) =>
    ['compile', 'search', 'match', 'fullmatch', 'findall', 'finditer', 'sub', 'subn', 'split', 'template'].map(
      (fn) => `${module}.${fn}`,
    ),
  ),
);

export default createRule({
  id: 'regex-injection',
  meta: {
    title: 'Regular expression from untrusted input',
    category: 'injection',
    cwe: [1333, 730],
    severity: 'medium',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted: '`{{fn}}` compiles a regular expression that comes from {{source}}',
    },
    docs: {
      why: "Python's `re` engine backtracks. A pattern chosen by a client, such as `(a+)+$` or `(.*a){20}`, takes time exponential in the length of the text it is matched against, so one request can pin a worker for minutes (ReDoS). The client can also widen a search meant to be literal (`.*`) to match every record.",
      example:
        'import re\nfrom flask import request\n\n@app.get("/search")\ndef search():\n    pattern = re.compile(request.args["q"])\n    return [name for name in NAMES if pattern.search(name)]',
      fix: 'Search for the text literally: escape it with `re.escape` before it goes into a pattern, or use `in` and `str.find`. Where users must write patterns, run them with a timeout in a separate process or with an engine that does not backtrack (`google-re2`).\n\n```python\nimport re\nfrom flask import request\n\n@app.get("/search")\ndef search():\n    pattern = re.compile(re.escape(request.args["q"]), re.IGNORECASE)\n    return [name for name in NAMES if pattern.search(name)]\n```',
      knownProblems:
        "Only patterns that data from a client reaches (request data, route parameters, a Lambda event, and queued job payloads at low confidence) are reported, with their trace; a pattern from the command line or a configuration file is its operator's choice. A pattern checked against an allow-list is not reported. `re.escape` and casts to numbers clear the value; a hand-written escaping function is not recognised.",
      references: [
        'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS',
        'https://docs.python.org/3/library/re.html#re.escape',
        'https://cwe.mitre.org/data/definitions/1333.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const callee = context.calleeName(node);
      if (!callee || !REGEX_FUNCTIONS.has(callee)) return;
      const flow = tracedSource(context, [context.argument(node, 0, 'pattern')], 'regex');
      if (!flow) return;
      reportTracedFlow(context, node, 'tainted', flow, { fn: callee });
    },
  },
  tests: {
    valid: [
      'import re\nfrom flask import request\n\ndef search():\n    return re.search(re.escape(request.args["q"]), TEXT)',
      'import re\nfrom flask import request\n\ndef check():\n    return re.fullmatch(r"[a-z0-9-]{3,32}", request.form["slug"])',
      'import re\nimport sys\n\nfor line in open(sys.argv[2]):\n    if re.search(sys.argv[1], line):\n        print(line, end="")',
      'import re\n\nWORD = re.compile(r"\\w+")\n\ndef words(text):\n    return WORD.findall(text)',
      'import re\nfrom django.http import JsonResponse\n\ndef filter_view(request):\n    term = request.GET["q"]\n    pattern = re.compile(".*".join(map(re.escape, term)))\n    return JsonResponse({"hits": [n for n in NAMES if pattern.search(n)]})',
      'import re\nfrom flask import request\n\nSEPARATORS = {"comma": ",", "tab": "\\t"}\n\ndef split_line():\n    sep = request.args["sep"]\n    if sep in SEPARATORS:\n        return re.split(sep, request.args["line"])',
    ],
    invalid: [
      {
        code: 'import re\nfrom flask import request\n\n@app.get("/search")\ndef search():\n    pattern = re.compile(request.args["q"])\n    return [n for n in NAMES if pattern.search(n)]',
        errors: [{ messageId: 'tainted', line: 6, confidence: 'high', message: 'request.args (Flask)' }],
      },
      {
        code: 'import re\n\ndef grep(request):\n    term = request.GET.get("term", "")\n    return [line for line in LINES if re.search(term, line)]',
        errors: [{ messageId: 'tainted', line: 5, message: 'request.GET (Django)' }],
      },
      {
        code: 'import re\nfrom fastapi import FastAPI\napp = FastAPI()\n\n@app.post("/rules")\ndef rules(patterns: list[str], text: str):\n    compiled = [re.compile(p) for p in patterns]\n    return any(c.match(text) for c in compiled)',
        errors: [{ messageId: 'tainted', line: 7, message: 'route parameter `patterns`' }],
      },
      {
        code: 'import regex\nfrom aiohttp import web\n\nasync def redact(request):\n    body = await request.json()\n    return web.json_response({"text": regex.sub(body["pattern"], "***", body["text"])})',
        errors: [{ messageId: 'tainted', line: 6, message: 'request.json() (aiohttp)' }],
      },
      {
        code: 'import re\n\ndef run_step(step, document):\n    return re.findall(step["pattern"], document)',
        errors: [{ messageId: 'tainted', line: 4, confidence: 'low', message: 'job payload `step`' }],
      },
      {
        code: 'import re\n\ndef lambda_handler(event, context):\n    rule = event["queryStringParameters"]["rule"]\n    return {"ok": bool(re.match(pattern=rule, string=event["body"]))}',
        errors: [{ messageId: 'tainted', line: 5, message: 'AWS Lambda event' }],
      },
    ],
  },
});
