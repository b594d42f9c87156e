import { createRule } from '../create-rule.js';
import {
  ECB_MODE_CALLS,
  PYCRYPTO_BLOCK_CIPHER_FACTORIES,
  PYCRYPTO_MODE_ECB_VALUE,
} from '../data/crypto-cipher-modes.js';

const ECB_CALLS = new Set(ECB_MODE_CALLS);
const BLOCK_CIPHER_FACTORIES = new Set(PYCRYPTO_BLOCK_CIPHER_FACTORIES);

export default createRule({
  id: 'cipher-ecb-mode',
  meta: {
    title: 'Block cipher in ECB mode',
    category: 'crypto',
    cwe: [327],
    severity: 'medium',
    confidence: 'high',
    equivalents: { bandit: ['B305'], ruff: ['S305'] },
    messages: {
      ecb: '`{{fn}}` selects ECB mode, which encrypts equal blocks to equal ciphertext; use GCM or another authenticated mode',
      defaultEcb:
        '`{{fn}}` is called without a mode: PyCrypto then uses ECB (pycryptodome refuses); pass an authenticated mode such as `MODE_GCM`',
    },
    docs: {
      why: 'ECB encrypts each block independently, so identical plaintext blocks give identical ciphertext blocks: patterns in the data (the famous ECB penguin), repeated records and field boundaries show through, and blocks can be cut, reordered and replayed without the key. ECB also provides no integrity.',
      example:
        'from Crypto.Cipher import AES\n\ndef seal(key: bytes, data: bytes) -> bytes:\n    return AES.new(key, AES.MODE_ECB).encrypt(data)',
      fix: 'Use an authenticated mode with a fresh nonce per message: GCM (or EAX, SIV, ChaCha20-Poly1305).\n\n```python\nfrom Crypto.Cipher import AES\n\ndef seal(key: bytes, data: bytes) -> bytes:\n    cipher = AES.new(key, AES.MODE_GCM)\n    ciphertext, tag = cipher.encrypt_and_digest(data)\n    return cipher.nonce + tag + ciphertext\n```',
      knownProblems:
        'Encrypting exactly one block of uniformly random data (wrapping a key) in ECB is sound, but AES key wrap (`cryptography.hazmat.primitives.keywrap`) is the standard way to do it; suppress the finding if you cannot change the format. A mode chosen at runtime (`AES.new(key, mode)`) is not reported.',
      references: [
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://en.wikipedia.org/wiki/Block_cipher_mode_of_operation#Electronic_codebook_(ECB)',
        'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#cryptography.hazmat.primitives.ciphers.modes.ECB',
        'https://www.pycryptodome.org/src/cipher/classic#ecb-mode',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      if (!fn) return;
      if (ECB_CALLS.has(fn)) {
        context.report({ node, messageId: 'ecb', data: { fn } });
        return;
      }
      if (!BLOCK_CIPHER_FACTORIES.has(fn)) return;
      const mode = context.argument(node, 1, 'mode');
      if (!mode) {
        if (!context.hasUnpackedArguments(node))
          context.report({ node, messageId: 'defaultEcb', data: { fn }, confidence: 'medium' });
        return;
      }
      if (
        context.qualifiedName(mode)?.endsWith('.MODE_ECB') ||
        context.literalValue(mode) === PYCRYPTO_MODE_ECB_VALUE
      ) {
        context.report({ node, messageId: 'ecb', data: { fn } });
      }
    },
  },
  tests: {
    valid: [
      'from Crypto.Cipher import AES\nAES.new(key, AES.MODE_GCM)',
      'from Cryptodome.Cipher import AES\nAES.new(key, mode=AES.MODE_CBC, iv=iv)',
      'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.CBC(iv))',
      'from Crypto.Cipher import AES\nAES.new(key, selected_mode)',
      'from Crypto.Cipher import AES\nAES.new(*args)',
    ],
    invalid: [
      {
        code: 'from Crypto.Cipher import AES\nAES.new(key, AES.MODE_ECB)',
        errors: [{ messageId: 'ecb', line: 2, message: '`Crypto.Cipher.AES.new`' }],
      },
      { code: 'from Cryptodome.Cipher import DES3\nDES3.new(key, mode=DES3.MODE_ECB)', errors: [{ messageId: 'ecb' }] },
      {
        code: 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.ECB())',
        errors: [{ messageId: 'ecb', message: '`cryptography.hazmat.primitives.ciphers.modes.ECB`' }],
      },
      { code: 'import Crypto.Cipher.AES as A\nA.new(key, 1)', errors: [{ messageId: 'ecb' }] },
      {
        code: 'from Crypto.Cipher import AES\ncipher = AES.new(key)',
        errors: [{ messageId: 'defaultEcb', confidence: 'medium' }],
      },
    ],
  },
});
