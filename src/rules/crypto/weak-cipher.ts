import { createRule } from '../create-rule.js';
import { BROKEN_CIPHERS, WEAK_CIPHER_CALLS } from '../data/crypto-weak-algorithms.js';

const WEAK_CIPHERS = new Map(WEAK_CIPHER_CALLS.map((row) => [row.call, row.algorithm]));

export default createRule({
  id: 'weak-cipher',
  meta: {
    title: 'Broken or obsolete cipher',
    category: 'crypto',
    cwe: [327],
    severity: 'high',
    confidence: 'high',
    equivalents: { bandit: ['B304'], ruff: ['S304'] },
    messages: {
      brokenCipher: '`{{fn}}` encrypts with {{algorithm}}, which is broken; use AES-GCM or ChaCha20-Poly1305',
      obsoleteCipher:
        '`{{fn}}` encrypts with {{algorithm}}, an obsolete cipher (64-bit block or withdrawn); use AES-GCM or ChaCha20-Poly1305',
    },
    docs: {
      why: 'DES has a 56-bit key that is brute-forced in hours. RC4 has keystream biases that leak plaintext (RFC 7465 bans it from TLS). RC2 has weak key scheduling and related-key attacks. Triple DES, Blowfish, IDEA, CAST5 and RC2 have 64-bit blocks, so after a few dozen gigabytes under one key block collisions reveal plaintext (Sweet32), and NIST withdrew Triple DES in 2023. SEED saw little scrutiny outside Korea and was dropped from TLS 1.3 along with the others. XOR "ciphers" are not encryption at all. Data protected by any of them should be considered readable by a motivated attacker.',
      example:
        'from Crypto.Cipher import DES\n\ndef encrypt(key: bytes, data: bytes) -> bytes:\n    return DES.new(key, DES.MODE_CBC).encrypt(data)',
      fix: 'Use an authenticated modern cipher: AES-GCM or ChaCha20-Poly1305, with a fresh random nonce per message. Data already encrypted with the old cipher has to be decrypted and re-encrypted; keep the old code path for reading only.\n\n```python\nimport os\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\ndef encrypt(key: bytes, data: bytes) -> bytes:\n    nonce = os.urandom(12)\n    return nonce + AESGCM(key).encrypt(nonce, data, None)\n```',
      knownProblems:
        'DES, RC2, RC4 and XOR are reported at high severity; Triple DES, Blowfish, CAST5, IDEA and SEED, which are obsolete rather than broken, at medium. Interoperating with a legacy system that only speaks one of these ciphers may leave no choice; suppress the finding there with a comment that says so. The finding is on the call that selects the cipher; ciphers chosen by name at runtime (an OpenSSL cipher string, a configuration value) are not seen.',
      references: [
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://sweet32.info/',
        'https://csrc.nist.gov/news/2023/nist-to-withdraw-sp-800-67-rev-2',
        'https://cryptography.io/en/latest/hazmat/decrepit/ciphers/',
      ],
    },
  },
  visitors: {
    call(node, context) {
      const fn = context.calleeName(node);
      const algorithm = fn && WEAK_CIPHERS.get(fn);
      if (!fn || !algorithm) return;
      if (BROKEN_CIPHERS.has(algorithm)) context.report({ node, messageId: 'brokenCipher', data: { fn, algorithm } });
      else context.report({ node, messageId: 'obsoleteCipher', data: { fn, algorithm }, severity: 'medium' });
    },
  },
  tests: {
    valid: [
      'from Crypto.Cipher import AES\nAES.new(key, AES.MODE_GCM)',
      'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.GCM(iv))',
      'from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305\nChaCha20Poly1305(key)',
      'class DES:\n    @staticmethod\n    def new(key):\n        return key\nDES.new(key)',
      'from Crypto.Cipher import DES\nmode = DES.MODE_CBC',
    ],
    invalid: [
      {
        code: 'from Crypto.Cipher import DES\nDES.new(key, DES.MODE_CBC, iv)',
        errors: [{ messageId: 'brokenCipher', line: 2, severity: 'high', message: 'DES' }],
      },
      {
        code: 'from Cryptodome.Cipher import ARC4 as RC4\nRC4.new(key)',
        errors: [{ messageId: 'brokenCipher', message: 'RC4' }],
      },
      {
        code: 'import Crypto.Cipher.Blowfish\nCrypto.Cipher.Blowfish.new(key, 2, iv)',
        errors: [{ messageId: 'obsoleteCipher', message: 'Blowfish' }],
      },
      {
        code: 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.TripleDES(key), modes.CBC(iv))',
        errors: [{ messageId: 'obsoleteCipher', severity: 'medium', message: 'Triple DES' }],
      },
      {
        code: 'from cryptography.hazmat.decrepit.ciphers.algorithms import IDEA\nIDEA(key)',
        errors: [{ messageId: 'obsoleteCipher', message: '`cryptography.hazmat.decrepit.ciphers.algorithms.IDEA`' }],
      },
      {
        code: 'from Crypto.Cipher import XOR\ncipher = XOR.new(b"k")',
        errors: [{ messageId: 'brokenCipher', message: 'XOR' }],
      },
    ],
  },
});
