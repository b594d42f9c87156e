import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { isCredentialName, isTestPath, maskSecret, stringContent } from '../support/secrets-names.js';
import { HTTPX_CALLS, REQUESTS_CALLS } from '../support/tls-http-clients.js';
import { isInstanceOf } from '../support/tainted-sink.js';

type MessageId =
  | 'ftp'
  | 'telnet'
  | 'mail'
  | 'smtpLogin'
  | 'ldap'
  | 'useSslFalse'
  | 'cleartextImport'
  | 'credentialsInUrl'
  | 'cleartextAuth'
  | 'cleartextRequest';

interface CleartextClient {
  constructor: string;
  messageId: 'ftp' | 'telnet' | 'mail';
  /** The encrypted class of the same module, whose mention spares an import-only finding. */
  secureAlternative?: string;
  /** A method that upgrades the plain connection to TLS (`starttls`); when the file calls it, the client is fine. */
  upgrade?: string;
  /** Ruff and Bandit report the bare import of these (S401, S402). */
  reportImport: boolean;
}

/** Cleartext protocol clients, by module: the constructor that opens a plain connection. */
const CLEARTEXT_CLIENTS: Record<string, CleartextClient> = {
  ftplib: { constructor: 'ftplib.FTP', messageId: 'ftp', secureAlternative: 'FTP_TLS', reportImport: true },
  telnetlib: { constructor: 'telnetlib.Telnet', messageId: 'telnet', reportImport: true },
  imaplib: { constructor: 'imaplib.IMAP4', messageId: 'mail', upgrade: '.starttls(', reportImport: false },
  poplib: { constructor: 'poplib.POP3', messageId: 'mail', upgrade: '.stls(', reportImport: false },
};
/** Mail protocols by client, for the message, and the class to use instead. */
const MAIL_PROTOCOLS: Record<string, { protocol: string; secure: string }> = {
  'imaplib.IMAP4': { protocol: 'IMAP', secure: 'imaplib.IMAP4_SSL' },
  'poplib.POP3': { protocol: 'POP3', secure: 'poplib.POP3_SSL' },
};
const SMTP_PLAIN = 'smtplib.SMTP';
/** Clients that connect to an LDAP URL or server given first. */
const LDAP_CLIENTS = new Set(['ldap.initialize', 'ldap3.Server', 'ldap3.core.server.Server']);
/** Clients that fetch a URL given first (or as `url=`), besides requests and httpx. */
const URL_CLIENTS = new Set([
  'urllib.request.urlopen',
  'urllib.request.Request',
  'urllib.request.urlretrieve',
  'urllib2.urlopen',
  'urllib2.Request',
  'xmlrpc.client.ServerProxy',
  'xmlrpclib.ServerProxy',
]);
/** `opener.open(url)` and `URLopener().retrieve(url)` on these objects. */
const OPENERS = new Set([
  'urllib.request.build_opener',
  'urllib.request.OpenerDirector',
  'urllib.request.URLopener',
  'urllib.request.FancyURLopener',
]);
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'ws_connect']);
/** `http://user:password@host` and `ftp://…`: the password group never holds a template field. */
const CLEARTEXT_URL_PASSWORD = /\b(http|ftp|telnet):\/\/([^\s/:@'"]+):([^\s/@'"{}<>$%]+)@[\w.-]/i;
/** A file that upgrades its connections somewhere (`start_tls()`, `starttls()`). */
const START_TLS = /start_tls|starttls/;
const STARTTLS_CALL = /\.starttls\(/;
const LOOPBACK = /^[a-z]+:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])([:/]|$)/i;
/** Hosts that never leave the machine or are documentation examples (RFC 2606). */
const NON_NETWORK_HOST =
  /^[a-z]+:\/\/([^/:@]*@)?(localhost|127\.\d+\.\d+\.\d+|\[::1\]|([\w-]+\.)*example\.(com|org|net)|[\w-]+\.(test|example|invalid|localhost))([:/]|$)/i;

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
    const client = modules.map((m) => CLEARTEXT_CLIENTS[m]).find((c) => c.constructor === fn);
    if (!client) continue;
    called.add(fn!.split('.')[0]);
    // Mail tests talk to local fakes; the mail clients are reported in application code only.
    if (client.upgrade && (context.source.includes(client.upgrade) || isTestPath(context.path))) continue;
    context.report({ node: call, messageId: client.messageId, data: { fn: fn!, ...MAIL_PROTOCOLS[fn!] } });
  }
  for (const statement of module.descendantsOfType(['import_statement', 'import_from_statement'])) {
    const name = importedModule(statement);
    const client = name ? CLEARTEXT_CLIENTS[name] : undefined;
    if (!name || !client || !client.reportImport || called.has(name)) continue;
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

/** `smtplib.SMTP(...)` in a file that logs in but never upgrades with `starttls()`. */
function checkSmtp(module: SyntaxNode, context: RuleContext<MessageId>): void {
  if (isTestPath(context.path)) return;
  if (
    !context.isModuleImported('smtplib') ||
    !context.source.includes('.login(') ||
    context.sourceMatches(STARTTLS_CALL)
  )
    return;
  for (const call of module.descendantsOfType('call')) {
    if (context.calleeName(call) === SMTP_PLAIN) context.report({ node: call, messageId: 'smtpLogin' });
  }
}

/** The literal text at the start of a URL argument (`"http://host/"`, or the head of an f-string). */
function urlPrefix(url: SyntaxNode | undefined): string | undefined {
  if (url?.type !== 'string') return undefined;
  return stringContent(url) ?? url.namedChildren.find((c) => c.type === 'string_content')?.text;
}

/** The URL a client call fetches, and the client's name, when it is one of the HTTP clients. */
function clientUrl(
  call: SyntaxNode,
  context: RuleContext<MessageId>,
): { fn: string; url: SyntaxNode | undefined } | undefined {
  const fn = context.calleeName(call);
  if (fn && (REQUESTS_CALLS.has(fn) || HTTPX_CALLS.has(fn)))
    return { fn, url: context.argument(call, fn.endsWith('.request') ? 1 : 0, 'url') };
  if (fn && URL_CLIENTS.has(fn))
    return { fn, url: context.argument(call, 0, fn.includes('ServerProxy') ? 'uri' : 'url') };
  const callee = call.childForFieldName('function');
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  const receiver = callee?.childForFieldName('object');
  if (!method || !receiver) return undefined;
  // `session.get(url)` on an aiohttp or requests session, `opener.open(url)` on a urllib opener.
  if (HTTP_METHODS.has(method) && ['aiohttp', 'requests', 'httpx'].some((m) => context.isModuleImported(m)))
    return { fn: callee!.text, url: context.argument(call, method === 'request' ? 1 : 0, 'url') };
  if ((method === 'open' || method === 'retrieve') && isInstanceOf(context, receiver, OPENERS))
    return { fn: callee!.text, url: context.argument(call, 0, 'fullurl') };
  return undefined;
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
    equivalents: {
      bandit: ['B321', 'B312', 'B401', 'B402'],
      ruff: ['S321', 'S312', 'S401', 'S402'],
      semgrep: ['python.lang.security.audit.insecure-transport.requests.request-with-http.request-with-http'],
    },
    messages: {
      mail: '`{{fn}}` opens a plain {{protocol}} session: the login and the mail cross the network unencrypted; use `{{secure}}` or call `starttls()`',
      smtpLogin:
        '`smtplib.SMTP` logs in without `starttls()`: the password crosses the network unencrypted; call `starttls()` first or use `smtplib.SMTP_SSL`',
      ldap: '`{{fn}}` connects to `{{url}}` without TLS: binds send the password in clear; use `ldaps://` or `start_tls()`',
      useSslFalse:
        '`{{fn}}` is called with `use_ssl=False`: the connection, and any credentials sent over it, is unencrypted',
      cleartextRequest:
        '`{{fn}}` fetches a plain `{{scheme}}://` URL: anyone on the network path can read and change the response; use `https://`',
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
        "Calls to `ftplib.FTP` and `telnetlib.Telnet` are reported (B321, B312); an import of `ftplib` or `telnetlib` is reported at low severity only when the file never calls them that way (B401, B402), and `ftplib` not at all when the file uses `FTP_TLS`. `imaplib.IMAP4` and `poplib.POP3` are reported unless the file upgrades the connection (`starttls()`, `stls()`), and `smtplib.SMTP` when the file calls `login(` but never `starttls()`; neither in test files, which talk to local fakes. LDAP connections are reported for literal `ldap://` URLs given to `ldap.initialize` or `ldap3.Server`, and any call with `use_ssl=False`, unless the file calls `start_tls`. For HTTP and FTP URLs, a literal `http://` or `ftp://` URL (not loopback) passed to `requests`, `httpx`, a session method in a file that imports `aiohttp`, `requests` or `httpx`, `urllib.request.urlopen`/`Request`/`urlretrieve`, an opener's `open`/`retrieve`, or `xmlrpc.client.ServerProxy` is reported: at high severity when the call also carries credentials (`auth=`, an `Authorization` header, a credential-named field in a literal `data`/`json`/`params`/`headers` dictionary), and at low severity otherwise, leaving out documentation hosts (`example.com`, `*.test`) and test files. URLs of the form `http://user:password@host` are reported anywhere. URLs held in variables are not followed. No fix is offered: the server must support the encrypted protocol first.",
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
      checkSmtp(node, context);
      if (!context.sourceMatches(CLEARTEXT_URL_PASSWORD)) return;
      for (const literal of node.descendantsOfType('string')) {
        const url = CLEARTEXT_URL_PASSWORD.exec(literal.text);
        if (url)
          context.report({
            node: literal,
            messageId: 'credentialsInUrl',
            data: { scheme: url[1], user: url[2], masked: maskSecret(url[3]) },
          });
      }
    },
    call(node, context) {
      const fn = context.calleeName(node);
      const startTls = context.sourceMatches(START_TLS);
      if (fn && LDAP_CLIENTS.has(fn) && !startTls) {
        const url = context.stringValue(context.argument(node, 0, fn === 'ldap.initialize' ? 'uri' : 'host'));
        if (url?.toLowerCase().startsWith('ldap://') && !LOOPBACK.test(url)) {
          context.report({ node, messageId: 'ldap', data: { fn, url } });
          return;
        }
      }
      if (context.literalValue(context.keywordArgument(node, 'use_ssl')) === false && !startTls) {
        const name = fn ?? node.childForFieldName('function')?.text ?? 'call';
        context.report({ node, messageId: 'useSslFalse', data: { fn: name } });
        return;
      }
      const client = clientUrl(node, context);
      const urlText = urlPrefix(client?.url);
      const scheme = urlText && /^(http|ftp):\/\//i.exec(urlText)?.[1]!.toLowerCase();
      if (!client || !urlText || !scheme || LOOPBACK.test(urlText)) return;
      const what = carriesCredentials(node, context);
      if (what) {
        context.report({ node, messageId: 'cleartextAuth', data: { fn: client.fn, what } });
        return;
      }
      // Tests fetch fixtures and fakes over plain HTTP by design.
      if (!NON_NETWORK_HOST.test(urlText) && !isTestPath(context.path))
        context.report({
          node,
          messageId: 'cleartextRequest',
          data: { fn: client.fn, scheme },
          severity: 'low',
          confidence: 'medium',
        });
    },
  },
  tests: {
    valid: [
      'from ftplib import FTP_TLS\nftp = FTP_TLS("ftp.example.com")\nftp.login(user, password)',
      'import requests\nrequests.post("https://api.example.com/login", data={"password": pw}, timeout=5)',
      'import requests\nrequests.get("http://localhost:8000/health", auth=("u", "p"), timeout=5)',
      'import requests\nrequests.get("http://example.com/page", timeout=5)',
      'import imaplib\nmail = imaplib.IMAP4(host)\nmail.starttls()\nmail.login(user, password)',
      'import smtplib\nserver = smtplib.SMTP(host, 587)\nserver.starttls()\nserver.login(user, password)',
      'import ldap\nconn = ldap.initialize("ldaps://ldap.corp.internal")',
      'from urllib.request import urlopen\npage = urlopen("https://pypi.org/simple/")',
      'import aiohttp\nasync def f(session):\n    await session.get("http://127.0.0.1:8080/metrics")',
      'import smtplib\nserver = smtplib.SMTP("localhost")\nserver.sendmail(sender, [to], body)',
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
      {
        code: 'import imaplib\nbox = imaplib.IMAP4("mail.corp.internal")\nbox.login(user, password)',
        errors: [{ messageId: 'mail', line: 2, message: 'imaplib.IMAP4_SSL' }],
      },
      {
        code: 'from poplib import POP3\ninbox = POP3("pop.corp.internal")\ninbox.user(name)\ninbox.pass_(password)',
        errors: [{ messageId: 'mail', line: 2, message: 'plain POP3 session' }],
      },
      {
        code: 'import smtplib\nserver = smtplib.SMTP("smtp.corp.internal", 25)\nserver.login(user, password)\nserver.sendmail(a, b, msg)',
        errors: [{ messageId: 'smtpLogin', line: 2 }],
      },
      {
        code: 'import ldap\nconn = ldap.initialize("ldap://ldap.corp.internal:389")\nconn.simple_bind_s(dn, password)',
        errors: [{ messageId: 'ldap', line: 2, message: '`ldap://ldap.corp.internal:389`' }],
      },
      {
        code: 'from ldap3 import Server, Connection\nserver = Server("dc01.corp.internal", use_ssl=False)\nconn = Connection(server, user, password)',
        errors: [{ messageId: 'useSslFalse', line: 2, message: 'ldap3.Server' }],
      },
      {
        code: 'from urllib.request import urlopen\nrelease = urlopen("http://downloads.vendor.net/agent/latest.tar.gz")',
        errors: [{ messageId: 'cleartextRequest', severity: 'low', message: 'plain `http://` URL' }],
      },
      {
        code: 'import xmlrpc.client\nproxy = xmlrpc.client.ServerProxy("http://billing.corp.internal:8000/RPC2")',
        errors: [{ messageId: 'cleartextRequest', message: 'xmlrpc.client.ServerProxy' }],
      },
      {
        code: 'import aiohttp\nasync def push(session, token):\n    await session.post("http://api.partner.net/v1/events", headers={"Authorization": token})',
        errors: [{ messageId: 'cleartextAuth', line: 3, message: 'headers["Authorization"]' }],
      },
      {
        code: 'import urllib.request\nopener = urllib.request.URLopener()\nopener.retrieve("ftp://mirror.vendor.net/pub/db.gz", "db.gz")',
        errors: [{ messageId: 'cleartextRequest', line: 3, message: '`ftp://`' }],
      },
    ],
  },
});
