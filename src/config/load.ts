import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { defaultConfig } from './defaults.js';
import { configSchema } from './schema.js';
import type { WardenConfig } from './schema.js';

export interface LoadedConfig {
  config: WardenConfig;
  /** What was wrong with the file; each broken key fell back to its default. */
  errors: string[];
}

/**
 * Validates a parsed config object. A broken key never sinks the whole file: it falls back to
 * its default and the error is returned for the summary.
 */
export function resolveConfig(raw: unknown): LoadedConfig {
  if (raw === undefined || raw === null) return { config: defaultConfig, errors: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { config: defaultConfig, errors: ['the config must be a mapping of keys to values; using the defaults'] };
  }
  const errors: string[] = [];
  const accepted: Record<string, unknown> = {};
  const known = configSchema.shape;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === '_extends') continue;
    if (!(key in known)) {
      errors.push(`unknown key \`${key}\` (ignored)`);
      continue;
    }
    const result = known[key as keyof typeof known].safeParse(value);
    if (result.success) accepted[key] = value;
    else {
      const issues = result.error.issues.map((issue) => `${[key, ...issue.path].join('.')}: ${issue.message}`);
      errors.push(...issues.map((issue) => `${issue} (using the default for \`${key}\`)`));
    }
  }
  return { config: configSchema.parse(accepted), errors };
}

let yaml: typeof import('yaml') | undefined;

/** The YAML parser, loaded on first use: most scans have no config file, and every CLI run pays for loading it. */
function parseYaml(text: string): unknown {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml.parse(text);
}

/** Parses YAML text; a syntax error yields the defaults and the error. */
export function parseConfigText(text: string, source: string): LoadedConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return {
      config: defaultConfig,
      errors: [`${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}; using the defaults`],
    };
  }
  const loaded = resolveConfig(raw);
  return { config: loaded.config, errors: loaded.errors.map((e) => `${source}: ${e}`) };
}

export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      config: defaultConfig,
      errors: [
        `${path}: cannot read the config (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); using the defaults`,
      ],
    };
  }
  return parseConfigText(text, path);
}
