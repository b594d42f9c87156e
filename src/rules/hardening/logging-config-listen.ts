import { createRule } from '../create-rule.js';

export default createRule({
  id: 'logging-config-listen',
  meta: {
    title: 'Logging configuration accepted over a socket',
    category: 'hardening',
    cwe: [94],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B612'], ruff: ['S612'] },
    messages: {
      listen:
        '`logging.config.listen()` accepts logging configuration from the network without a `verify` callable; a configuration can name any callable, so whoever connects can run code',
    },
    docs: {
      why: '`logging.config.listen()` opens a socket that accepts `fileConfig` or `dictConfig` payloads, and applying them imports and calls whatever classes and callables they name: anyone able to connect to the port can run code in the process. Without a `verify` function nothing checks where a payload came from.',
      example: 'import logging.config\n\nthread = logging.config.listen(9999)\nthread.start()',
      fix: 'Configure logging from a file or dictionary the application controls. If live reconfiguration is needed, pass a `verify` callable that checks a signature (or decrypts the payload) before it is applied, and listen on a local port only.\n\n```python\nimport logging.config\n\nlogging.config.dictConfig(LOGGING)\n```',
      knownProblems:
        'A call that passes `verify=` (or a third positional argument) is not reported; whether that function really authenticates the payload is not checked.',
      references: [
        'https://docs.python.org/3/library/logging.config.html#logging.config.listen',
        'https://cwe.mitre.org/data/definitions/94.html',
      ],
    },
  },
  visitors: {
    call(node, context) {
      if (!context.isModuleImported('logging.config') || context.calleeName(node) !== 'logging.config.listen') return;
      const verify = context.argument(node, 1, 'verify');
      if (verify && context.literalValue(verify) !== null) return;
      if (context.hasUnpackedArguments(node)) return;
      context.report({ node, messageId: 'listen' });
    },
  },
  tests: {
    valid: [
      'import logging.config\nlogging.config.listen(9999, verify=check_signature)',
      'import logging.config\nlogging.config.dictConfig(CONFIG)',
      'from logging.config import listen\nlisten(9999, check_signature)',
      'def listen(port):\n    pass\nlisten(9999)',
    ],
    invalid: [
      { code: 'import logging.config\nt = logging.config.listen(9999)', errors: [{ messageId: 'listen', line: 2 }] },
      { code: 'from logging.config import listen\nserver = listen()', errors: [{ messageId: 'listen' }] },
      { code: 'import logging.config as lc\nlc.listen(port=9999, verify=None)', errors: [{ messageId: 'listen' }] },
    ],
  },
});
