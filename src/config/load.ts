import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AnyRule } from '../engine/rule.js';
import { configSchema, defaultConfig, type WardenConfig } from './schema.js';

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

function settingEnabled(setting: WardenConfig['rules'][string]): boolean {
  if (typeof setting === 'boolean') return setting;
  if (typeof setting === 'string') return setting === 'on';
  return setting.enabled;
}

/** Whether the config leaves a rule on: its own setting beats its category's. */
export function isRuleEnabled(config: WardenConfig, id: string, category: string): boolean {
  const own = config.rules[id];
  if (own !== undefined) return settingEnabled(own);
  const categorySetting = config.rules[category];
  return categorySetting === undefined || settingEnabled(categorySetting);
}

/** The rules the config leaves on. */
export function enabledRules(config: WardenConfig, rules: readonly AnyRule[]): AnyRule[] {
  return rules.filter((rule) => isRuleEnabled(config, rule.id, rule.meta.category));
}

/** Per-rule options and severity overrides from the config. */
export function ruleSettings(config: WardenConfig): {
  options: Record<string, Record<string, unknown>>;
  severities: Record<string, 'low' | 'medium' | 'high'>;
} {
  const options: Record<string, Record<string, unknown>> = {};
  const severities: Record<string, 'low' | 'medium' | 'high'> = {};
  for (const [id, setting] of Object.entries(config.rules)) {
    if (typeof setting !== 'object') continue;
    options[id] = setting.options;
    if (setting.severity) severities[id] = setting.severity;
  }
  return { options, severities };
}
