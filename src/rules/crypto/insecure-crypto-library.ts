import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { createRule } from '../create-rule.js';
import { PYCRYPTO_NAMESPACE, PYCRYPTO_ONLY_MODULES } from '../data/crypto-pycrypto-modules.js';
import { importedModulePaths } from '../support/crypto-imported-modules.js';

const PYCRYPTO_ONLY = new Set(PYCRYPTO_ONLY_MODULES);

function inNamespace(module: string): boolean {
  return module === PYCRYPTO_NAMESPACE || module.startsWith(`${PYCRYPTO_NAMESPACE}.`);
}

function checkImport(node: SyntaxNode, context: RuleContext<'pycrypto' | 'ambiguous'>): void {
  const modules = importedModulePaths(node).filter(inNamespace);
  if (modules.length === 0) return;
  const proof = modules.find((module) => PYCRYPTO_ONLY.has(module));
  if (proof) context.report({ node, messageId: 'pycrypto', data: { module: proof } });
  else
    context.report({ node, messageId: 'ambiguous', data: { module: modules[0] }, severity: 'low', confidence: 'low' });
}

export default createRule({
  id: 'insecure-crypto-library',
  meta: {
    title: 'Unmaintained PyCrypto library',
    category: 'crypto',
    cwe: [1104, 327],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B413'], ruff: ['S413'] },
    messages: {
      pycrypto:
        '`{{module}}` exists only in PyCrypto, which has been unmaintained since 2013 and has a known heap overflow (CVE-2013-7459); move to pycryptodome or cryptography',
      ambiguous:
        '`{{module}}` comes from PyCrypto (unmaintained, CVE-2013-7459) unless pycryptodome provides it; make sure the dependency is pycryptodome, or use `Cryptodome` / cryptography',
    },
    docs: {
      why: 'PyCrypto has had no release since 2013. It has a public heap buffer overflow in `AES.new` with a crafted IV (CVE-2013-7459), its defaults are unsafe (`AES.new(key)` silently uses ECB, `RSA` encryption without padding is offered), and no fix will come. Code that imports it carries these problems with every deployment.',
      example: 'from Crypto.Random import OSRNG\n\nrng = OSRNG.new()',
      fix: 'Depend on pycryptodome (a maintained drop-in replacement that installs the same `Crypto` namespace), or better use pycryptodomex (`Cryptodome` namespace, cannot be confused with PyCrypto) or pyca/cryptography, and remove `pycrypto` from the requirements.\n\n```python\nimport secrets\n\nrandom_bytes = secrets.token_bytes(32)\n```',
      knownProblems:
        'pycryptodome installs under the same `Crypto` namespace, so `from Crypto.Cipher import AES` cannot tell the two libraries apart from the code alone. Such imports are reported at low severity and low confidence; check the requirements file and suppress the finding once pycryptodome is confirmed. Imports of modules that pycryptodome dropped (`Crypto.Random.OSRNG`, `Crypto.Util.randpool`, `Crypto.Cipher.XOR`, …) prove PyCrypto and are reported at medium severity and high confidence. Bandit reports every `Crypto` import at high severity; Warden grades them by this evidence instead.',
      references: [
        'https://nvd.nist.gov/vuln/detail/CVE-2013-7459',
        'https://github.com/pycrypto/pycrypto/issues/173',
        'https://www.pycryptodome.org/src/installation',
        'https://cwe.mitre.org/data/definitions/1104.html',
      ],
    },
  },
  visitors: {
    import_statement: (node, context) => checkImport(node, context),
    import_from_statement: (node, context) => checkImport(node, context),
  },
  tests: {
    valid: [
      'from Cryptodome.Cipher import AES',
      'import cryptography.hazmat.primitives.ciphers',
      'from .Crypto import helpers',
      'import CryptoUtils',
      'from cryptography.fernet import Fernet',
    ],
    invalid: [
      {
        code: 'from Crypto.Random import OSRNG\nrng = OSRNG.new()',
        errors: [
          { messageId: 'pycrypto', line: 1, severity: 'medium', confidence: 'high', message: '`Crypto.Random.OSRNG`' },
        ],
      },
      { code: 'import Crypto.Util.randpool as randpool', errors: [{ messageId: 'pycrypto' }] },
      {
        code: 'from Crypto.Cipher import AES, XOR',
        errors: [{ messageId: 'pycrypto', message: '`Crypto.Cipher.XOR`' }],
      },
      {
        code: 'from Crypto.Cipher import AES',
        errors: [{ messageId: 'ambiguous', severity: 'low', confidence: 'low', message: '`Crypto.Cipher`' }],
      },
      { code: 'import os\nimport Crypto', errors: [{ messageId: 'ambiguous', line: 2 }] },
    ],
  },
});
