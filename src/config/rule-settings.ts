import type { AnyRule } from '../engine/rule.js';
import type { WardenConfig } from './schema.js';

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
