import { isRuleEnabled } from '../config/rule-settings.js';
import type { WardenConfig } from '../config/schema.js';
import { templateRule } from './unescaped-output.js';

/** Whether a scan reads templates: the config leaves the template rule (or its category) on. */
export function templateChecksEnabled(config: WardenConfig): boolean {
  return isRuleEnabled(config, templateRule.id, templateRule.meta.category);
}
