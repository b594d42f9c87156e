import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES } from '../src/engine/types.js';
import { allRules } from '../src/rules/index.js';

const rulesDir = fileURLToPath(new URL('../src/rules/', import.meta.url));

/** Rule files are the `.ts` files inside a category folder. */
function ruleFiles(): { category: string; id: string }[] {
  return CATEGORIES.flatMap((category) => {
    let entries: string[];
    try {
      entries = readdirSync(join(rulesDir, category));
    } catch {
      return [];
    }
    return entries.filter((f) => f.endsWith('.ts')).map((f) => ({ category, id: basename(f, '.ts') }));
  });
}

describe('rule registry', () => {
  it('lists every rule file exactly once, sorted by id', () => {
    const ids = allRules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      ruleFiles()
        .map((f) => f.id)
        .sort(),
    );
  });

  it.each(allRules.map((r) => [r.id, r] as const))('%s: id, folder and metadata are complete', (_id, rule) => {
    const file = ruleFiles().find((f) => f.id === rule.id);
    expect(file?.category).toBe(rule.meta.category);
    expect(rule.meta.title.length).toBeGreaterThan(0);
    expect(rule.meta.cwe.length).toBeGreaterThan(0);
    const { docs } = rule.meta;
    expect(docs.why.length).toBeGreaterThan(20);
    expect(docs.example.length).toBeGreaterThan(0);
    expect(docs.fix.length).toBeGreaterThan(20);
    expect(docs.references.length).toBeGreaterThan(0);
    for (const reference of docs.references) expect(reference).toMatch(/^https:\/\//);
    for (const code of rule.meta.equivalents.bandit ?? []) expect(code).toMatch(/^B\d{3}$/);
    for (const code of rule.meta.equivalents.ruff ?? []) expect(code).toMatch(/^S\d{3}$/);
  });

  it.each(allRules.map((r) => [r.id, r] as const))(
    '%s: has at least 3 valid and 3 invalid cases that use every message',
    (_id, rule) => {
      expect(rule.tests.valid.length).toBeGreaterThanOrEqual(3);
      expect(rule.tests.invalid.length).toBeGreaterThanOrEqual(3);
      const used = new Set(rule.tests.invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
      expect([...used].sort()).toEqual(Object.keys(rule.meta.messages).sort());
    },
  );
});
