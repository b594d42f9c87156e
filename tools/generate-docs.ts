/**
 * Writes docs/rules/<id>.md for every registered rule and the index docs/rules/README.md.
 * `--check` writes nothing and exits 1 when the files on disk differ from what would be written.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { banditChecks } from './data/bandit-checks.js';
import { documentedRules } from './support/documented-rules.js';
import { loadBanditDecisions } from './support/load-bandit-decisions.js';
import { banditCoverage, RULE_DOCS_DIR, renderDocs, type DocsInput } from './support/render-docs.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Generated files that differ from disk, and stale pages of rules that no longer exist. */
function differences(expected: Map<string, string>): { changed: string[]; stale: string[] } {
  const changed = [...expected]
    .filter(([path, content]) => readOrUndefined(join(repositoryRoot, path)) !== content)
    .map(([path]) => path);
  const stale = existingRulePages().filter((path) => !expected.has(path));
  return { changed, stale };
}

function existingRulePages(): string[] {
  try {
    return readdirSync(join(repositoryRoot, RULE_DOCS_DIR))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `${RULE_DOCS_DIR}/${file}`);
  } catch {
    return [];
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const input: DocsInput = { rules: documentedRules, banditChecks, banditDecisions: await loadBanditDecisions() };
  const { problems, rows } = banditCoverage(input);
  for (const problem of problems) process.stderr.write(`generate-docs: ${problem}\n`);
  const files = renderDocs(input);
  const { changed, stale } = differences(files);

  if (process.argv.includes('--check')) {
    if (changed.length === 0 && stale.length === 0) {
      process.stdout.write(`docs are up to date (${files.size} files)\n`);
      return problems.length > 0 ? 1 : 0;
    }
    for (const path of changed) process.stderr.write(`out of date: ${path}\n`);
    for (const path of stale) process.stderr.write(`no longer generated: ${path}\n`);
    process.stderr.write('run `npm run docs`\n');
    return 1;
  }

  for (const path of changed) {
    const target = join(repositoryRoot, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, files.get(path)!);
  }
  for (const path of stale) rmSync(join(repositoryRoot, path));
  const gaps = rows.filter((row) => row.status === 'gap').map((row) => row.check.code);
  process.stdout.write(
    `wrote ${changed.length} of ${files.size} files, removed ${stale.length}` +
      (gaps.length > 0 ? `; Bandit checks with neither a rule nor a decision: ${gaps.join(', ')}` : '') +
      '\n',
  );
  return problems.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`generate-docs failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
