import { isRuleEnabled } from '../config/rule-settings.js';
import type { WardenConfig } from '../config/schema.js';
import { dependencyRules } from './check.js';

/** How the config wants dependency manifests checked. */
export interface DependencySettings {
  requirePins: boolean;
  /** Dependency rule ids the config switched off (by id or by the `dependencies` category). */
  disabled: ReadonlySet<string>;
}

/** The config's dependency settings; undefined when `dependencies.enabled` is false. */
export function dependencySettings(config: WardenConfig): DependencySettings | undefined {
  if (!config.dependencies.enabled) return undefined;
  const disabled = new Set(
    Object.entries(dependencyRules).flatMap(([id, meta]) => (isRuleEnabled(config, id, meta.category) ? [] : [id])),
  );
  return { requirePins: config.dependencies.require_pins, disabled };
}
