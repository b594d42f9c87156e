import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { methodOf, tracedSource } from '../support/tainted-sink.js';

/** python-ldap search methods: base DN first, filter third. */
const PYTHON_LDAP_SEARCHES = new Set(['search', 'search_s', 'search_st', 'search_ext', 'search_ext_s']);

/** ldap3 `Connection.search(search_base, search_filter, …)`. */
const LDAP3_SEARCHES = new Set(['search', 'paged_search']);

function searchParts(call: SyntaxNode, context: RuleContext): (SyntaxNode | undefined)[] | undefined {
  const method = methodOf(call);
  if (!method) return undefined;
  // `search` is a common method name; it counts only in files that import an LDAP client.
  if (context.isModuleImported('ldap3') && LDAP3_SEARCHES.has(method)) {
    return [context.argument(call, 1, 'search_filter'), context.argument(call, 0, 'search_base')];
  }
  if (context.isModuleImported('ldap') && PYTHON_LDAP_SEARCHES.has(method)) {
    return [context.argument(call, 2, 'filterstr'), context.argument(call, 0, 'base')];
  }
  return undefined;
}

export default createRule({
  id: 'ldap-injection',
  meta: {
    title: 'LDAP query from untrusted input',
    category: 'injection',
    cwe: [90],
    severity: 'high',
    confidence: 'high',
    equivalents: {},
    messages: {
      tainted: '`{{fn}}` runs an LDAP search built from {{source}}',
    },
    docs: {
      why: 'LDAP filters have their own syntax: `*`, `(`, `)`, `&`, `|` and `\\`. Input spliced into a filter such as `(uid=` + name + `)` can widen it (`*`), add conditions (`admin)(|(uid=*`) or remove the password check of a login, so the search returns users or attributes the client should never see.',
      example:
        'import ldap\nfrom flask import request\n\n@app.post("/login")\ndef login():\n    conn = ldap.initialize("ldap://directory")\n    user = request.form["user"]\n    return conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={user})")',
      fix: 'Escape every value put into a filter with `ldap.filter.escape_filter_chars` (python-ldap) or `ldap3.utils.conv.escape_filter_chars` (ldap3), and DN parts with `ldap.dn.escape_dn_chars`.\n\n```python\nimport ldap\nfrom ldap.filter import escape_filter_chars\nfrom flask import request\n\n@app.post("/login")\ndef login():\n    conn = ldap.initialize("ldap://directory")\n    user = escape_filter_chars(request.form["user"])\n    return conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={user})")\n```',
      knownProblems:
        'Only flows from web request data or route parameters are reported, with their trace; filters of unknown origin or from the command line are not. `ldap.filter.filter_format` is not modelled. `search` methods count only in files that import `ldap` or `ldap3`.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html',
        'https://cwe.mitre.org/data/definitions/90.html',
        'https://www.python-ldap.org/en/latest/reference/ldap-filter.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const parts = searchParts(node, context);
      if (!parts) return;
      const flow = tracedSource(context, parts, 'ldap');
      if (!flow) return;
      context.report({
        node,
        messageId: 'tainted',
        data: { fn: `.${methodOf(node)}()`, source: flow.origin.source ?? 'untrusted input' },
        confidence: flow.origin.confidence,
        origin: flow.origin,
      });
    },
  },
  tests: {
    valid: [
      'import ldap\nfrom ldap.filter import escape_filter_chars\nfrom flask import request\n\ndef f(conn):\n    user = escape_filter_chars(request.form["user"])\n    conn.search_s("dc=example", ldap.SCOPE_SUBTREE, "(uid=%s)" % user)',
      'import ldap\n\ndef f(conn, user):\n    conn.search_s("dc=example", ldap.SCOPE_SUBTREE, f"(uid={user})")',
      'import ldap\nimport sys\n\nconn = ldap.initialize("ldap://x")\nconn.search_ext_s("ou=" + sys.argv[1] + ",dc=example", ldap.SCOPE_SUBTREE)',
      'import re\nfrom flask import request\n\ndef f(index):\n    return index.search("dc=example", "(uid=" + request.args["q"] + ")")',
      'from ldap3 import Connection\nfrom ldap3.utils.conv import escape_filter_chars\n\ndef view(request, conn):\n    conn.search("dc=example", "(cn=" + escape_filter_chars(request.GET["cn"]) + ")")',
    ],
    invalid: [
      {
        code: 'import ldap\nfrom flask import request\n\ndef f(conn):\n    user = request.form["user"]\n    conn.search_s("dc=example", ldap.SCOPE_SUBTREE, f"(uid={user})")',
        errors: [{ messageId: 'tainted', line: 6, confidence: 'high', message: 'request.form' }],
      },
      {
        code: 'from ldap3 import Connection\n\ndef view(request, conn):\n    query = "(&(objectClass=person)(cn=" + request.GET["cn"] + "))"\n    conn.search("dc=example", query)',
        errors: [{ messageId: 'tainted', line: 5, message: 'Django' }],
      },
      {
        code: 'import ldap\nfrom flask import request\n\ndef f(conn):\n    conn.search_ext_s("ou=" + request.args["ou"] + ",dc=example", ldap.SCOPE_SUBTREE)',
        errors: [{ messageId: 'tainted', line: 5, message: 'request.args' }],
      },
    ],
  },
});
