/**
 * Why Warden deliberately does not report some of what a Ruff `S` rule reports. The comparison
 * benchmark (`npm run compare`, docs/COMPARISON.md) counts Ruff findings under a code listed here
 * as explained rather than missed. Codes without a row here fall back to the decision recorded for
 * the Bandit check of the same number (tools/data/bandit-decisions-*.ts).
 */
export interface RuffDifference {
  code: string;
  reason: string;
}

export const ruffDifferences: readonly RuffDifference[] = [
  {
    code: 'S311',
    reason:
      'The `random` module is a problem only when its output becomes a secret: `weak-random-for-secrets` reports it where the value is used as a token, password, key or nonce, and not for simulation, sampling, jitter, shuffling or test data.',
  },
];
