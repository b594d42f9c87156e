import { createRule } from '../create-rule.js';
import { findReferences } from '../support/tls-references.js';

/** Protocol versions with known breaks (POODLE, BEAST, weak MACs), deprecated by RFC 8996. */
const BROKEN_PROTOCOLS = new Set([
  'ssl.PROTOCOL_SSLv2',
  'ssl.PROTOCOL_SSLv3',
  'ssl.PROTOCOL_TLSv1',
  'ssl.PROTOCOL_TLSv1_1',
  'ssl.TLSVersion.SSLv3',
  'ssl.TLSVersion.TLSv1',
  'ssl.TLSVersion.TLSv1_1',
  'OpenSSL.SSL.SSLv2_METHOD',
  'OpenSSL.SSL.SSLv3_METHOD',
  'OpenSSL.SSL.TLSv1_METHOD',
  'OpenSSL.SSL.TLSv1_1_METHOD',
]);

/** Negotiating methods that still allow SSLv3 unless options rule it out (Bandit B502 lists it). */
const LEGACY_NEGOTIATION = new Set(['OpenSSL.SSL.SSLv23_METHOD']);
/** Options and settings that rule the old versions out of a negotiating context. */
const VERSION_FLOOR = /OP_NO_SSLv3|set_min_proto_version|minimum_version/;
/** Keywords that choose a protocol version on any library's call (urllib3, requests adapters, pyOpenSSL wrappers). */
const VERSION_KEYWORDS = ['ssl_version', 'method', 'ssl_method', 'tls_version', 'protocol'];
/** A version named as text: `ssl_version="TLSv1"`, `method="SSLv3"`. */
const BROKEN_VERSION_TEXT = /^(PROTOCOL_)?(SSLv2|SSLv3|TLSv1|TLSv1[._]0|TLSv1[._]1)(_METHOD)?$/i;

export default createRule({
  id: 'insecure-tls-version',
  meta: {
    title: 'Broken SSL/TLS protocol version',
    category: 'network',
    cwe: [326, 327],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B502', 'B503', 'B504'], ruff: ['S502', 'S503', 'S504'] },
    messages: {
      brokenProtocol:
        '`{{name}}` selects a protocol version with known attacks (SSLv2/SSLv3/TLS 1.0/TLS 1.1); require TLS 1.2 or later',
      legacyNegotiation:
        '`{{name}}` still negotiates SSLv3 unless `OP_NO_SSLv3` (or a minimum version) is set; use `TLS_METHOD` with a minimum of TLS 1.2',
      brokenVersionText:
        '`{{keyword}}="{{value}}"` selects a protocol version with known attacks; require TLS 1.2 or later',
      wrapSocketDeprecated:
        '`ssl.wrap_socket` is deprecated (removed in Python 3.12) and never checks the host name; use `ssl.create_default_context().wrap_socket`',
      wrapSocketDefault:
        '`ssl.wrap_socket` without `ssl_version` uses a context without host-name checks and with legacy defaults; use `ssl.create_default_context().wrap_socket`',
    },
    docs: {
      why: 'SSLv2 and SSLv3 are broken (DROWN, POODLE) and TLS 1.0 and 1.1 have been deprecated by RFC 8996 for their weak constructions (BEAST, SHA-1 and MD5 in the handshake). A connection that uses or even allows them can be downgraded and decrypted by a network attacker. `ssl.wrap_socket()` also skips host-name checking and was removed in Python 3.12.',
      example:
        'import socket\nimport ssl\n\nsock = socket.create_connection(("example.com", 443))\ntls = ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1)',
      fix: 'Use `ssl.create_default_context()`, which negotiates the best version both sides support and verifies the certificate, and raise its minimum version if old clients must be excluded explicitly.\n\n```python\nimport socket\nimport ssl\n\ncontext = ssl.create_default_context()\ncontext.minimum_version = ssl.TLSVersion.TLSv1_2\nsock = socket.create_connection(("example.com", 443))\ntls = context.wrap_socket(sock, server_hostname="example.com")\n```',
      knownProblems:
        'A broken version is reported wherever it is used (as an argument, a default parameter value — Bandit B503 — or an assigned minimum version) except in comparisons, which only inspect a setting, and so is a broken version named as text in an `ssl_version=`, `method=`, `ssl_method=`, `tls_version=` or `protocol=` keyword of any call (`ssl_version="TLSv1"`). pyOpenSSL\'s `SSLv23_METHOD` (Bandit B502) is reported at low severity unless the file sets `OP_NO_SSLv3` or a minimum version: OpenSSL 1.1.0 and later treat it as `TLS_METHOD` and are usually built without SSLv3, but the code still asks for whatever the library allows. `ssl.OP_NO_TLSv1` and similar options disable old versions and are not reported. `ssl.wrap_socket` is reported at medium severity without `ssl_version` (B504) and at low severity with a sound one, since it is deprecated, never checks the host name and was removed in Python 3.12.',
      references: [
        'https://docs.python.org/3/library/ssl.html#ssl-security',
        'https://www.rfc-editor.org/rfc/rfc8996',
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://www.pyopenssl.org/en/stable/api/ssl.html',
      ],
    },
  },
  visitors: {
    module(node, context) {
      for (const { node: reference, qualified } of findReferences(node, context, BROKEN_PROTOCOLS)) {
        context.report({ node: reference, messageId: 'brokenProtocol', data: { name: qualified } });
      }
      if (VERSION_FLOOR.test(context.source)) return;
      for (const { node: reference, qualified } of findReferences(node, context, LEGACY_NEGOTIATION)) {
        context.report({
          node: reference,
          messageId: 'legacyNegotiation',
          data: { name: qualified },
          severity: 'low',
          confidence: 'medium',
        });
      }
    },
    call(node, context) {
      for (const keyword of VERSION_KEYWORDS) {
        const value = context.stringValue(context.keywordArgument(node, keyword));
        if (value !== undefined && BROKEN_VERSION_TEXT.test(value))
          context.report({ node, messageId: 'brokenVersionText', data: { keyword, value } });
      }
      if (!context.isModuleImported('ssl') || context.calleeName(node) !== 'ssl.wrap_socket') return;
      if (context.hasUnpackedArguments(node)) return;
      const version = context.argument(node, 5, 'ssl_version');
      if (!version) {
        context.report({ node, messageId: 'wrapSocketDefault', severity: 'medium', confidence: 'medium' });
        return;
      }
      // A broken version is reported where it is named; otherwise the call is still deprecated.
      if (!BROKEN_PROTOCOLS.has(context.qualifiedName(version) ?? ''))
        context.report({ node, messageId: 'wrapSocketDeprecated', severity: 'low', confidence: 'high' });
    },
  },
  tests: {
    valid: [
      'import ssl\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2',
      'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.options |= ssl.OP_NO_TLSv1',
      'import ssl\nif ctx.minimum_version == ssl.TLSVersion.TLSv1:\n    upgrade()',
      'from OpenSSL import SSL\nctx = SSL.Context(SSL.SSLv23_METHOD)\nctx.set_options(SSL.OP_NO_SSLv2 | SSL.OP_NO_SSLv3)',
      'import urllib3\npool = urllib3.PoolManager(ssl_version="TLSv1_2")',
      'from OpenSSL import SSL\nctx = SSL.Context(SSL.TLS_METHOD)',
      'PROTOCOL_TLSv1 = "local constant"\nuse(PROTOCOL_TLSv1)',
    ],
    invalid: [
      {
        code: 'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_SSLv3)',
        errors: [{ messageId: 'brokenProtocol', line: 2, message: '`ssl.PROTOCOL_SSLv3`' }],
      },
      {
        code: 'from OpenSSL import SSL\ncontext = SSL.Context(SSL.TLSv1_METHOD)',
        errors: [{ messageId: 'brokenProtocol', message: 'OpenSSL.SSL.TLSv1_METHOD' }],
      },
      {
        code: 'import ssl\ndef connect(host, version=ssl.PROTOCOL_TLSv1_1):\n    pass',
        errors: [{ messageId: 'brokenProtocol', line: 2 }],
      },
      {
        code: 'from ssl import TLSVersion\nctx.minimum_version = TLSVersion.TLSv1',
        errors: [{ messageId: 'brokenProtocol', message: 'ssl.TLSVersion.TLSv1' }],
      },
      {
        code: 'from OpenSSL import SSL\ncontext = SSL.Context(SSL.SSLv23_METHOD)',
        errors: [{ messageId: 'legacyNegotiation', severity: 'low' }],
      },
      {
        code: 'from requests.adapters import HTTPAdapter\nadapter = LegacyAdapter(ssl_version="TLSv1")\nconn = connect(host, method="SSLv3")',
        errors: [
          { messageId: 'brokenVersionText', line: 2, message: '`ssl_version="TLSv1"`' },
          { messageId: 'brokenVersionText', line: 3 },
        ],
      },
      {
        code: 'import ssl\nsock = ssl.wrap_socket(raw, ssl_version=ssl.PROTOCOL_TLS_CLIENT)',
        errors: [{ messageId: 'wrapSocketDeprecated', severity: 'low' }],
      },
      {
        code: 'import ssl\ns = ssl.wrap_socket(sock)',
        errors: [{ messageId: 'wrapSocketDefault', severity: 'medium' }],
      },
    ],
  },
});
