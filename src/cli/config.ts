import { access, readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CONFIG_PATH, defaultConfig } from '../config/defaults.js';
import type { LoadedConfig } from '../config/load.js';
import { repositoryRoot } from '../scan/git.js';

/** The config parsers, loaded only for a run that has a config file: a run without one never pays for them. */
async function loadConfigFile(path: string): Promise<LoadedConfig> {
  return (await import('../config/load.js')).loadConfigFile(path);
}

async function parsePyproject(text: string, source: string): Promise<LoadedConfig | undefined> {
  return (await import('../config/pyproject.js')).parsePyprojectConfig(text, source);
}

/** A file's text, or undefined when it is absent or unreadable (the caller then looks elsewhere). */
function readIfReadable(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** The nearest pyproject.toml with a `[tool.warden]` table, from `cwd` up to `top`. */
async function nearestPyprojectConfig(cwd: string, top: string): Promise<LoadedConfig | undefined> {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const path = join(dir, 'pyproject.toml');
    const text = await readIfReadable(path);
    // Most pyproject.toml files never mention Warden: those are not parsed, and the parsers never load.
    const loaded = text?.includes('warden') ? await parsePyproject(text, relative(cwd, path)) : undefined;
    if (loaded) return loaded;
    if (dir === top || dirname(dir) === dir) return undefined;
  }
}

/**
 * The CLI's config, first found of: `--config FILE` (YAML, or a pyproject.toml's `[tool.warden]`),
 * the repository's `.github/warden.yml` (what the App reads), then `[tool.warden]` in the nearest
 * pyproject.toml between the working directory and the repository root. Defaults otherwise.
 */
export async function loadCliConfig(cwd: string, path: string | undefined): Promise<LoadedConfig> {
  if (path) {
    const target = resolve(cwd, path);
    const text = basename(target) === 'pyproject.toml' ? await readIfReadable(target) : undefined;
    // Anything else, or a pyproject.toml that cannot be read, goes the YAML way, which reports why.
    if (text === undefined) return loadConfigFile(target);
    return (
      (await parsePyproject(text, path)) ?? {
        config: defaultConfig,
        errors: [`${path}: has no [tool.warden] table; using the defaults`],
      }
    );
  }
  // Git reports real paths; the walk up compares against them.
  const start = await realpath(cwd);
  const top = (await repositoryRoot(start)) ?? start;
  const conventional = join(top, CONFIG_PATH);
  const hasConventional = await access(conventional).then(
    () => true,
    () => false,
  );
  if (hasConventional) return loadConfigFile(conventional);
  return (await nearestPyprojectConfig(start, top)) ?? { config: defaultConfig, errors: [] };
}
