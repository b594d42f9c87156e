import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Real Python code that every machine here has (the stdlib) or can install (Django). */
export interface Corpus {
  name: string;
  root: string;
  /** Directories directly under the root that are left out. */
  exclude: Set<string>;
}

export const DJANGO_ROOT = '/usr/lib/python3/dist-packages/django';

export function stdlibCorpus(): Corpus {
  const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], {
    encoding: 'utf8',
  }).trim();
  return { name: 'CPython stdlib', root: stdlib, exclude: new Set(['test', 'site-packages', 'dist-packages']) };
}

export function djangoVersion(): string {
  const init = readFileSync(join(DJANGO_ROOT, '__init__.py'), 'utf8');
  const version = /VERSION\s*=\s*\((\d+),\s*(\d+),\s*(\d+)/.exec(init);
  return version ? `${version[1]}.${version[2]}.${version[3]}` : '(unknown version)';
}

/** The stdlib, plus Django when Debian's python3-django is installed (`onMissing` hears why not). */
export function corpora(onMissing: (message: string) => void): Corpus[] {
  const list = [stdlibCorpus()];
  if (existsSync(DJANGO_ROOT)) list.push({ name: `Django ${djangoVersion()}`, root: DJANGO_ROOT, exclude: new Set() });
  else onMissing(`${DJANGO_ROOT} not found; install python3-django to include Django`);
  return list;
}

/** Every `.py` file under the corpus root, sorted, without `__pycache__` and the excluded top-level folders. */
export function pythonFiles(corpus: Corpus): string[] {
  const files: string[] = [];
  const walk = (dir: string, top: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name === '__pycache__' || (top && corpus.exclude.has(entry.name))) continue;
        walk(join(dir, entry.name), false);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        files.push(join(dir, entry.name));
      }
    }
  };
  walk(corpus.root, true);
  return files.sort();
}
