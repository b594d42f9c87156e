/**
 * Calls that generate asymmetric keys, with where their key size or curve is passed, and the
 * curves too small to trust. Sizes follow NIST SP 800-57 part 1 (112-bit security from 2019).
 */
export interface KeyGeneratorRow {
  /** Qualified name of the call. */
  call: string;
  algorithm: 'RSA' | 'DSA' | 'EC';
  /** Where the key size in bits (RSA, DSA) or the curve (EC) is passed; no position when keyword-only. */
  position?: number;
  keyword: string;
}

const PYCRYPTO_NAMESPACES = ['Crypto', 'Cryptodome'] as const;
const ASYMMETRIC = 'cryptography.hazmat.primitives.asymmetric';

export const KEY_GENERATORS: readonly KeyGeneratorRow[] = [
  { call: `${ASYMMETRIC}.rsa.generate_private_key`, algorithm: 'RSA', position: 1, keyword: 'key_size' },
  { call: `${ASYMMETRIC}.dsa.generate_private_key`, algorithm: 'DSA', position: 0, keyword: 'key_size' },
  { call: `${ASYMMETRIC}.dsa.generate_parameters`, algorithm: 'DSA', position: 0, keyword: 'key_size' },
  { call: `${ASYMMETRIC}.ec.generate_private_key`, algorithm: 'EC', position: 0, keyword: 'curve' },
  { call: `${ASYMMETRIC}.ec.derive_private_key`, algorithm: 'EC', position: 1, keyword: 'curve' },
  ...PYCRYPTO_NAMESPACES.flatMap((namespace): KeyGeneratorRow[] => [
    { call: `${namespace}.PublicKey.RSA.generate`, algorithm: 'RSA', position: 0, keyword: 'bits' },
    { call: `${namespace}.PublicKey.DSA.generate`, algorithm: 'DSA', position: 0, keyword: 'bits' },
    { call: `${namespace}.PublicKey.ECC.generate`, algorithm: 'EC', keyword: 'curve' },
  ]),
];

/** Below this many bits an RSA or DSA key is reported; below `BROKEN_KEY_BITS` it is high severity. */
export const MINIMUM_KEY_BITS = 2048;
export const BROKEN_KEY_BITS = 1024;

/** cryptography curve classes (in `ec`) smaller than 224 bits, with their size. */
export const WEAK_CRYPTOGRAPHY_CURVES: ReadonlyMap<string, number> = new Map([
  [`${ASYMMETRIC}.ec.SECP192R1`, 192],
  [`${ASYMMETRIC}.ec.SECT163K1`, 163],
  [`${ASYMMETRIC}.ec.SECT163R2`, 163],
]);

/** pycryptodome curve names (compared lower-cased) smaller than 224 bits. */
export const WEAK_PYCRYPTODOME_CURVES: ReadonlyMap<string, number> = new Map([
  ['p-192', 192],
  ['p192', 192],
  ['nist p-192', 192],
  ['prime192v1', 192],
  ['secp192r1', 192],
]);
