import type { AnyRule } from '../engine/rule.js';
import insecureHashFunction from './crypto/insecure-hash-function.js';
import subprocessShellTrue from './injection/subprocess-shell-true.js';

/** Every rule, sorted by id. A meta-test checks that this list matches the files under src/rules. */
export const allRules: readonly AnyRule[] = [
  insecureHashFunction,
  subprocessShellTrue,
] as readonly AnyRule[];

export const rulesById: ReadonlyMap<string, AnyRule> = new Map(allRules.map((rule) => [rule.id, rule]));
