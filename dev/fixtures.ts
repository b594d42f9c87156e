import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dev/ (TypeScript under the test runner) or build/dev/ alike. */
export const ROOT = findRepositoryRoot(dirname(fileURLToPath(import.meta.url)));

function findRepositoryRoot(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no package.json above ${start}`);
  }
}

/** The demo's Flask service: `main/`, `pr-commit-1/` and `pr-commit-2/`. */
export const DEMO_FIXTURES = join(ROOT, 'demo', 'orders-service');

/** Every file under `folder`, keyed by its path relative to it (the repository layout). */
export function readFolder(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(folder, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(folder);
  return files;
}
