import { readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BanditDecision } from '../data/bandit-checks.js';

const DECISION_FILE = /^bandit-decisions-[\w-]+$/;

/**
 * Imports every `tools/data/bandit-decisions-*` module. Several people add decision
 * files, so they are found by name rather than registered: compiled (`build`) or as
 * TypeScript under the test runner, the files beside this module's own build are read.
 */
export async function loadBanditDecisions(): Promise<BanditDecision[]> {
  const ownExtension = extname(fileURLToPath(import.meta.url));
  const dataDir = new URL('../data/', import.meta.url);
  const files = readdirSync(dataDir)
    .filter((file) => extname(file) === ownExtension && DECISION_FILE.test(file.slice(0, -ownExtension.length)))
    .sort();
  const decisions: BanditDecision[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, dataDir).href)) as { banditDecisions?: unknown };
    if (!Array.isArray(module.banditDecisions)) {
      throw new Error(`tools/data/${file} must export \`banditDecisions\`: an array of { code, decision, reason }`);
    }
    for (const row of module.banditDecisions as BanditDecision[]) {
      if (
        typeof row?.code !== 'string' ||
        !['not-reported', 'narrower'].includes(row.decision) ||
        typeof row.reason !== 'string' ||
        row.reason.trim() === ''
      ) {
        throw new Error(`tools/data/${file}: malformed decision row ${JSON.stringify(row)}`);
      }
      decisions.push(row);
    }
  }
  return decisions;
}
