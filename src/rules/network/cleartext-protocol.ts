import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isCredentialName, maskSecret, stringContent } from '../support/secrets-names.js';
import { HTTP_CLIENT_MODULES, HTTPX_CALLS, REQUESTS_CALLS } from '../support/tls-http-clients.js';

type MessageId = 'ftp' | 'telnet' | 'cleartextImport' | 'credentialsInUrl' | 'cleartextAuth';

/** Cleartext protocol clients, by module: the constructor that opens a plain connection. */
const CLEARTEXT_CLIENTS: Record<
  string,
  { constructor: string; messageId: 'ftp' | 'telnet'; secureAlternative?: string }
> = {
  ftplib: { constructor: 'ftplib.FTP', messageId: 'ftp', secureAlternative: 'FTP_TLS' },
  telnetlib: { constructor: 'telnetlib.Telnet', messageId: 'telnet' },
};
/** `http://user:password@host` and `ftp://…`: the password group never holds a template field. */
const CLEARTEXT_URL_PASSWORD = /\b(http|ftp|telnet):\/\/([^\s/:@'"]+):([^\s/@'"{}<>$%]+)@[\w.-]/i;
const LOOPBACK = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])([:/]|$)/i;

function importedModule(statement: SyntaxNode): string | undefined {
  const name =
    statement.type === 'import_from_statement'
      ? statement.childForFieldName('module_name')?.text
      : statement
          .childrenForFieldName('name')
          .map((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text))
          .find((m) => m && m in CLEARTEXT_CLIENTS);
  return name && name in CLEARTEXT_CLIENTS ? name : undefined;
}

/** Calls to the cleartext clients; a module imported but never called this way is reported at its import. */
function checkClients(module: SyntaxNode, context: RuleContext<MessageId>): void {
  const modules = Object.keys(CLEARTEXT_CLIENTS).filter((m) => context.isModuleImported(m));
  if (modules.length === 0) return;
  const called = new Set<string>();
  for (const call of module.descendantsOfType('call')) {
    const fn = context.calleeName(call);
    const client = modules.map((m) => CLEARTEXT_CLIENTS[m]!).find((c) => c.constructor === fn);
    if (!client) continue;
    called.add(fn!.split('.')[0]!);
    context.report({ node: call, messageId: client.messageId, data: { fn: fn! } });
  }
  for (const statement of module.descendantsOfType(['import_statement', 'import_from_statement'])) {
    const name = importedModule(statement);
    const client = name ? CLEARTEXT_CLIENTS[name] : undefined;
    if (!name || !client || called.has(name)) continue;
    if (client.secureAlternative && context.source.includes(client.secureAlternative)) continue;
    context.report({
      node: statement,
      messageId: 'cleartextImport',
      data: { module: name },
      severity: 'low',
      confidence: 'medium',
    });
  }
}

/** True when an expression visibly carries credentials: `auth=`, an Authorization header, a password field. */
function carriesCredentials(call: SyntaxNode, context: RuleContext<MessageId>): string | undefined {
  const auth = context.keywordArgument(call, 'auth');
  if (auth && auth.type !== 'none') return 'auth=';
  for (const keyword of ['headers', 'data', 'json', 'params']) {
    const value = context.keywordArgument(call, keyword);
    if (value?.type !== 'dictionary') continue;
    for (const pair of value.namedChildren) {
      const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
      const name = key ? stringContent(key) : undefined;
      if (name && (name.toLowerCase() === 'authorization' || isCredentialName(name))) return `${keyword}["${name}"]`;
    }
  }
  return undefined;
}

export default createRule({
  id: 'cleartext-protocol',
  meta: {
    title: 'Credentials or sessions over a cleartext protocol',
    category: 'network',
    cwe: [319, 523],
    severity: 'high',
    confidence: 'medium',
    equivalents: { bandit: ['B321', 'B312', 'B401', 'B402'], ruff: ['S321', 'S312', 'S401', 'S402'] },
    messages: {
      ftp: '`{{fn}}` opens a plain FTP session: the login and the files cross the network unencrypted; use `ftplib.FTP_TLS` or SFTP',
      telnet:
        '`{{fn}}` opens a Telnet session: everything typed, passwords included, crosses the network unencrypted; use SSH',
      cleartextImport:
        '`{{module}}` speaks a cleartext protocol; make sure no credentials or sensitive data go through it',
      credentialsInUrl:
        'The `{{scheme}}://` URL carries the password of `{{user}}` (`{{masked}}`) over an unencrypted connection, and hard-codes it',
      cleartextAuth:
        '`{{fn}}` sends credentials (`{{what}}`) to a plain `http://` URL, where anyone on the network path can read them',
    },
    docs: {
      why: 'FTP, Telnet and plain HTTP send everything, passwords and session tokens included, as readable text. Anyone on the network path (shared Wi-Fi, a compromised router, a cloud neighbour) can capture the credentials and replay them, or change the data in transit.',
      example:
        'import requests\n\nrequests.post("http://api.example.com/login", data={"user": name, "password": password}, timeout=10)',
      fix: 'Use the encrypted variant of the protocol: HTTPS, `ftplib.FTP_TLS` (or SFTP through paramiko), SSH instead of Telnet, and keep credentials out of URLs.\n\n```python\nimport requests\n\nrequests.post("https://api.example.com/login", data={"user": name, "password": password}, timeout=10)\n```',
      knownProblems:
        'Calls to `ftplib.FTP` and `telnetlib.Telnet` are reported (B321, B312); an import of `ftplib` or `telnetlib` is reported at low severity only when the file never calls them that way (B401, B402), and `ftplib` not at all when the file uses `FTP_TLS`. For HTTP, only literal `http://` URLs (not loopback) passed to `requests`/`httpx` with `auth=`, an `Authorization` header or a credential-named field in a literal `data`/`json`/`params`/`headers` dictionary are reported, along with URLs of the form `http://user:password@host` anywhere. No fix is offered: the server must support the encrypted protocol first.',
      references: [
        'https://cwe.mitre.org/data/definitions/319.html',
        'https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS',
        'https://peps.python.org/pep-0594/#telnetlib',
        'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
      ],
    },
  },
  visitors: {
    module(node, context) {
      checkClients(node, context);
      if (!CLEARTEXT_URL_PASSWORD.test(context.source)) return;
      for (const literal of node.descendantsOfType('string')) {
        const url = CLEARTEXT_URL_PASSWORD.exec(literal.text);
        if (url)
          context.report({
            node: literal,
            messageId: 'credentialsInUrl',
            data: { scheme: url[1]!, user: url[2]!, masked: maskSecret(url[3]!) },
          });
      }
    },
    call(node, context) {
      if (!HTTP_CLIENT_MODULES.some((m) => context.isModuleImported(m))) return;
      const fn = context.calleeName(node);
      if (!fn || (!REQUESTS_CALLS.has(fn) && !HTTPX_CALLS.has(fn))) return;
      const url = context.argument(node, fn.endsWith('.request') ? 1 : 0, 'url');
      const urlText =
        url?.type === 'string'
          ? (stringContent(url) ?? url.namedChildren.find((c) => c.type === 'string_content')?.text)
          : undefined;
      if (!urlText?.toLowerCase().startsWith('http://') || LOOPBACK.test(urlText)) return;
      const what = carriesCredentials(node, context);
      if (what) context.report({ node, messageId: 'cleartextAuth', data: { fn, what } });
    },
  },
  tests: {
    valid: [
      'from ftplib import FTP_TLS\nftp = FTP_TLS("ftp.example.com")\nftp.login(user, password)',
      'import requests\nrequests.post("https://api.example.com/login", data={"password": pw}, timeout=5)',
      'import requests\nrequests.get("http://localhost:8000/health", auth=("u", "p"), timeout=5)',
      'import requests\nrequests.get("http://example.com/page", timeout=5)',
      'URL = "https://user:{password}@example.com/"',
      'import paramiko\nclient = paramiko.SSHClient()',
    ],
    invalid: [
      {
        code: 'import ftplib\nftp = ftplib.FTP("ftp.example.com")\nftp.login("user", pw)',
        errors: [{ messageId: 'ftp', line: 2, message: '`ftplib.FTP`' }],
      },
      { code: 'from telnetlib import Telnet as T\nsession = T(host, 23)', errors: [{ messageId: 'telnet', line: 2 }] },
      {
        code: 'import telnetlib\n\ndef connect(factory=telnetlib):\n    return factory',
        errors: [{ messageId: 'cleartextImport', line: 1, severity: 'low' }],
      },
      {
        code: 'FEED = "http://reader:Hunter2Go@feeds.example.com/rss"',
        errors: [{ messageId: 'credentialsInUrl', message: '`Hu***`' }],
      },
      {
        code: 'import requests\nrequests.post("http://api.example.com/login", json={"username": u, "password": p}, timeout=5)',
        errors: [{ messageId: 'cleartextAuth', message: 'json["password"]' }],
      },
      {
        code: 'import requests\nr = requests.get(f"http://{host}/api", auth=HTTPBasicAuth(user, pw), timeout=5)',
        errors: [{ messageId: 'cleartextAuth', message: '`auth=`' }],
      },
    ],
  },
});
