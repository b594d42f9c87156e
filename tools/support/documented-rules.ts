import { allRules } from '../../src/rules/index.js';
import { templateRule } from '../../src/templates/unescaped-output.js';
import type { DocumentedRule } from './render-docs.js';

/** Every rule with a page under docs/rules: the Python rules, and the template rule that reads no Python. */
export const documentedRules: readonly DocumentedRule[] = [
  ...allRules,
  {
    ...templateRule,
    source: 'src/templates/unescaped-output.ts',
    harness: 'test/templates/unescaped-output.test.ts',
    language: 'html+django',
  },
];
