import type { RuleContext } from '../../engine/context.js';
import type { SyntaxNode } from '../../engine/types.js';
import { isTestPath, stringContent } from './secrets-names.js';

/**
 * Framework settings written in code: Django settings modules, Flask config classes and
 * `app.config` mappings. Rules that check one setting's value (cookies, debug, secret keys,
 * hashers, upload permissions) find it here the same way.
 */

/** One setting and the value the code gives it. */
export interface SettingValue {
  name: string;
  value: SyntaxNode;
  /** Where a finding about it belongs: the assignment, or the call that passes it. */
  node: SyntaxNode;
}

/** Settings a Django settings module defines; one of them marks a module as settings. */
const DJANGO_SETTINGS = /^(INSTALLED_APPS|MIDDLEWARE|ROOT_URLCONF|DATABASES|ALLOWED_HOSTS)\s*=/m;
/** Settings files meant for development or tests, where insecure values are the point. */
const DEVELOPMENT_FILES = /(^|[/_.-])(dev|develop|development|local|test|tests|testing|ci)([/_.-]|\.py$)/i;
/** Configuration classes for the same purposes (`class DevelopmentConfig`, `class TestingSettings`). */
const DEVELOPMENT_CLASSES =
  /^(Dev|Develop|Development|Local|Test|Testing|Debug|CI)[A-Z_]|(Test|Testing)(Config|Settings)?$/;
/** Config methods that take settings as keywords or a mapping (Flask's `app.config.update(...)`). */
const CONFIG_UPDATERS = new Set(['update', 'from_mapping']);

/**
 * A Django settings module: `settings.py`, `settings_*.py`, a module under `settings/`, or one
 * that sets the settings only Django reads. Django's own `global_settings.py` holds the
 * framework's defaults, which every project overrides, not a deployment's choices.
 */
export function isDjangoSettings(context: RuleContext<string>): boolean {
  const file = context.path.replace(/\\/g, '/');
  if (/(^|\/)global_settings\.py$/.test(file)) return false;
  return (
    /(^|\/)settings([_.][^/]*)?\.py$|(^|\/)settings\/[^/]+\.py$/.test(file) || context.sourceMatches(DJANGO_SETTINGS)
  );
}

/**
 * Settings meant for development or tests: test modules, settings files named for them
 * (`settings/dev.py`, `local_settings.py`), and configuration classes named for them.
 */
export function isDevelopmentSetting(node: SyntaxNode, context: RuleContext<string>): boolean {
  const file = context.path.replace(/\\/g, '/');
  if (isTestPath(file) || DEVELOPMENT_FILES.test(file.split('/').slice(-2).join('/'))) return true;
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'class_definition' && DEVELOPMENT_CLASSES.test(current.childForFieldName('name')?.text ?? ''))
      return true;
  }
  return false;
}

/** True for a statement directly in a module or a class body (where settings live), not in a function. */
function isSettingsLevel(assignment: SyntaxNode): boolean {
  const statement = assignment.parent;
  if (statement?.type !== 'expression_statement') return false;
  const container = statement.parent;
  return container?.type === 'module' || (container?.type === 'block' && container.parent?.type === 'class_definition');
}

/** True when `node` is `<x>.config`, Flask's configuration mapping. */
function isConfigMapping(node: SyntaxNode | null | undefined): boolean {
  return node?.type === 'attribute' && node.childForFieldName('attribute')?.text === 'config';
}

/**
 * The setting an assignment gives a value: `NAME = v` at module or class level, or
 * `app.config["NAME"] = v`.
 */
export function assignedSetting(assignment: SyntaxNode): SettingValue | undefined {
  const left = assignment.childForFieldName('left');
  const value = assignment.childForFieldName('right');
  if (!left || !value) return undefined;
  if (left.type === 'identifier' && isSettingsLevel(assignment)) return { name: left.text, value, node: assignment };
  if (left.type === 'subscript' && isConfigMapping(left.childForFieldName('value'))) {
    const key = left.childForFieldName('subscript');
    const name = key ? stringContent(key) : undefined;
    if (name) return { name, value, node: assignment };
  }
  return undefined;
}

/** The settings a config call passes: `app.config.update(NAME=v)` or `app.config.from_mapping({"NAME": v})`. */
export function settingsInCall(call: SyntaxNode, context: RuleContext<string>): SettingValue[] {
  const fn = call.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (!method || !CONFIG_UPDATERS.has(method) || !isConfigMapping(fn!.childForFieldName('object'))) return [];
  const settings: SettingValue[] = [];
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (name && value) settings.push({ name, value, node: call });
    } else if (argument.type === 'dictionary') {
      for (const pair of argument.namedChildren) {
        const name = context.stringValue(pair.childForFieldName('key'));
        const value = pair.childForFieldName('value');
        if (pair.type === 'pair' && name && value) settings.push({ name, value, node: call });
      }
    }
  }
  return settings;
}
