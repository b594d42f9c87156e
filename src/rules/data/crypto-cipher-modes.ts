/**
 * Block ciphers of PyCrypto/pycryptodome (`Crypto`) and pycryptodomex (`Cryptodome`) whose
 * `new()` takes a mode, and the calls that select ECB (Bandit B305).
 */
export const PYCRYPTO_BLOCK_CIPHER_FACTORIES: readonly string[] = ['Crypto', 'Cryptodome'].flatMap((namespace) =>
  ['AES', 'ARC2', 'Blowfish', 'CAST', 'DES', 'DES3'].map((cipher) => `${namespace}.Cipher.${cipher}.new`),
);

/** The numeric value of `MODE_ECB` in PyCrypto and pycryptodome. */
export const PYCRYPTO_MODE_ECB_VALUE = 1;

export const ECB_MODE_CALLS: readonly string[] = ['cryptography.hazmat.primitives.ciphers.modes.ECB'];
