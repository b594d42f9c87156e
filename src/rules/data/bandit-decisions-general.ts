import type { BanditDecision } from './bandit-checks.js';

/**
 * Bandit checks that Warden's rules cover only in part, or not at all, outside the areas that
 * keep their own decision files; each reason restates the scope the rule documents.
 */
export const banditDecisions: readonly BanditDecision[] = [
  {
    code: 'B101',
    decision: 'narrower',
    reason: '`assert-access-control` reports only asserts whose condition is an access check (authentication, permissions, roles, ownership), which `python -O` silently removes; other asserts state invariants, and test files are skipped.',
  },
  {
    code: 'B102',
    decision: 'narrower',
    reason: '`code-injection` reports `exec` of code that is not a literal; executing a constant string runs only what the author wrote.',
  },
  {
    code: 'B105',
    decision: 'narrower',
    reason: '`hardcoded-secret` skips names that describe a credential rather than hold one (`token_type`, `password_field`), values that are obviously not secrets (the empty string, placeholders, environment-variable names, text with spaces) and, for name-based findings, test files.',
  },
  {
    code: 'B307',
    decision: 'narrower',
    reason: '`code-injection` reports `eval` of code that is not a literal; evaluating a constant expression runs only what the author wrote.',
  },
  {
    code: 'B308',
    decision: 'narrower',
    reason: '`unsafe-markup` reports `mark_safe` of HTML built at runtime; literal markup and values escaped in place (`mark_safe(escape(x))`) cannot carry injected HTML.',
  },
  {
    code: 'B603',
    decision: 'narrower',
    reason: 'An argument list without a shell is the safe way to run a program, so `subprocess-without-shell` reports it only when the taint analysis traces part of the argv to an untrusted source (request data, `sys.argv`, `input()`).',
  },
  {
    code: 'B607',
    decision: 'narrower',
    reason: '`subprocess-partial-path` reads only literal commands (a program chosen at runtime is the injection rules\' concern) and skips shell builtins.',
  },
  {
    code: 'B608',
    decision: 'narrower',
    reason: '`sql-injection` reports SQL where it is run (`execute`, `executemany`, `raw`, `extra`, …) and only when the query is built from data; strings that merely start like SQL (messages such as "Select the desired keys", error texts) and statements built only from quoted identifiers are not reported.',
  },
];
