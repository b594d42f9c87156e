/**
 * Why Warden deliberately does not report some of what a Ruff `S` rule reports. The comparison
 * benchmark (`npm run compare`, docs/COMPARISON.md) counts Ruff findings under a code listed here
 * as explained rather than missed.
 */
export interface RuffDifference {
  code: string;
  reason: string;
}

export const ruffDifferences: readonly RuffDifference[] = [
  {
    code: 'S101',
    reason: '`assert-access-control` reports only asserts that guard permissions, authentication or ownership (they vanish under `python -O`); other asserts are ordinary invariants.',
  },
  {
    code: 'S311',
    reason: 'The `random` module is only a problem when its output becomes a secret (token, password, key, nonce); Warden does not report random numbers used for simulation, sampling, jitter or test data.',
  },
  {
    code: 'S603',
    reason: 'Audit-only in Ruff: every `subprocess` call without `shell=True`. A list of arguments is the safe form; Warden reports such calls only when the program or an argument comes from untrusted input (`os-command-injection`).',
  },
  {
    code: 'S607',
    reason: 'Audit-only in Ruff: every program started by a bare name such as `"git"`. Resolving through `PATH` is normal practice; Warden leaves it to deployment hardening.',
  },
];
