import type { BanditDecision } from './bandit-checks.js';

/** Bandit checks that Warden leaves out on purpose, and why. */
export const banditDecisions: BanditDecision[] = [
  {
    code: 'B110',
    decision: 'not-reported',
    reason: '`try`/`except`/`pass` is an error-handling style question, not a vulnerability; a review comment on every one would drown the security findings.',
  },
  {
    code: 'B112',
    decision: 'not-reported',
    reason: '`try`/`except`/`continue` is an error-handling style question, not a vulnerability; a review comment on every one would drown the security findings.',
  },
];
