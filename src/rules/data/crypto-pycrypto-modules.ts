/**
 * Modules that exist only in PyCrypto, the unmaintained library behind the `Crypto` namespace
 * (Bandit B413). pycryptodome installs under the same namespace but dropped these, so importing
 * one of them proves the code runs on PyCrypto.
 */
export const PYCRYPTO_ONLY_MODULES: readonly string[] = [
  'Crypto.Cipher.XOR',
  'Crypto.Protocol.AllOrNothing',
  'Crypto.Protocol.Chaffing',
  'Crypto.PublicKey.pubkey',
  'Crypto.PublicKey._slowmath',
  'Crypto.Random.OSRNG',
  'Crypto.Util.randpool',
  'Crypto.Util.winrandom',
];

/** The namespace PyCrypto and pycryptodome share. */
export const PYCRYPTO_NAMESPACE = 'Crypto';
