/**
 * Broken or obsolete hash functions and ciphers, as the qualified names of the calls that
 * select them. Each row names the algorithm for the message and the Bandit check it mirrors.
 */
export interface WeakAlgorithmRow {
  /** Qualified name of the call, e.g. `Crypto.Cipher.DES.new`. */
  call: string;
  /** Algorithm name shown to the user. */
  algorithm: string;
  bandit: string;
}

/** The namespaces of PyCrypto (`Crypto`) and of pycryptodomex (`Cryptodome`); pycryptodome reuses `Crypto`. */
const PYCRYPTO_NAMESPACES = ['Crypto', 'Cryptodome'] as const;

function pycryptoRows(kind: 'Hash' | 'Cipher', modules: Record<string, string>, bandit: string): WeakAlgorithmRow[] {
  return PYCRYPTO_NAMESPACES.flatMap((namespace) =>
    Object.entries(modules).map(([module, algorithm]) => ({
      call: `${namespace}.${kind}.${module}.new`,
      algorithm,
      bandit,
    })),
  );
}

export const WEAK_HASH_CALLS: readonly WeakAlgorithmRow[] = [
  { call: 'hashlib.md5', algorithm: 'MD5', bandit: 'B324' },
  { call: 'hashlib.sha1', algorithm: 'SHA-1', bandit: 'B324' },
  ...pycryptoRows('Hash', { MD2: 'MD2', MD4: 'MD4', MD5: 'MD5', SHA: 'SHA-1', SHA1: 'SHA-1' }, 'B303'),
  { call: 'cryptography.hazmat.primitives.hashes.MD5', algorithm: 'MD5', bandit: 'B303' },
  { call: 'cryptography.hazmat.primitives.hashes.SHA1', algorithm: 'SHA-1', bandit: 'B303' },
];

/** Algorithm names `hashlib.new` accepts that select a broken hash (compared lower-cased). */
export const WEAK_HASHLIB_NAMES: ReadonlyMap<string, string> = new Map([
  ['md2', 'MD2'],
  ['md4', 'MD4'],
  ['md5', 'MD5'],
  ['sha', 'SHA-1'],
  ['sha1', 'SHA-1'],
  ['md5-sha1', 'MD5-SHA1'],
]);

/**
 * Ciphers with practical attacks (exhaustive key search, keystream biases, no real key). The
 * others in `WEAK_CIPHER_CALLS` are obsolete rather than broken: 64-bit blocks (Sweet32),
 * withdrawn standards or little scrutiny.
 */
export const BROKEN_CIPHERS: ReadonlySet<string> = new Set(['DES', 'RC2', 'RC4', 'XOR']);

/** cryptography moved the obsolete ciphers to `decrepit` in release 43; both spellings are in use. */
const CRYPTOGRAPHY_CIPHER_MODULES = [
  'cryptography.hazmat.primitives.ciphers.algorithms',
  'cryptography.hazmat.decrepit.ciphers.algorithms',
];

const CRYPTOGRAPHY_WEAK_CIPHERS: Record<string, string> = {
  ARC4: 'RC4',
  Blowfish: 'Blowfish',
  CAST5: 'CAST5',
  IDEA: 'IDEA',
  RC2: 'RC2',
  SEED: 'SEED',
  TripleDES: 'Triple DES',
};

export const WEAK_CIPHER_CALLS: readonly WeakAlgorithmRow[] = [
  ...pycryptoRows(
    'Cipher',
    { ARC2: 'RC2', ARC4: 'RC4', Blowfish: 'Blowfish', CAST: 'CAST5', DES: 'DES', DES3: 'Triple DES', XOR: 'XOR' },
    'B304',
  ),
  ...CRYPTOGRAPHY_CIPHER_MODULES.flatMap((module) =>
    Object.entries(CRYPTOGRAPHY_WEAK_CIPHERS).map(([name, algorithm]) => ({
      call: `${module}.${name}`,
      algorithm,
      bandit: 'B304',
    })),
  ),
];
