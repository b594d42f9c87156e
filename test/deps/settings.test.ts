import { describe, expect, test } from '@jest/globals';
import { resolveConfig } from '../../src/config/load.js';
import { dependencySettings } from '../../src/deps/settings.js';

describe('dependency settings from the config', () => {
  test('are absent when `dependencies.enabled` is false', () => {
    expect(dependencySettings(resolveConfig({ dependencies: { enabled: false } }).config)).toBeUndefined();
  });

  test('switch both rules off through their category, and a rule back on by its id', () => {
    expect(dependencySettings(resolveConfig({ rules: { dependencies: 'off' } }).config)?.disabled).toEqual(
      new Set(['vulnerable-dependency', 'unpinned-dependency']),
    );
    const settings = dependencySettings(
      resolveConfig({
        rules: { dependencies: false, 'unpinned-dependency': 'on' },
        dependencies: { require_pins: true },
      }).config,
    );
    expect(settings).toEqual({ requirePins: true, disabled: new Set(['vulnerable-dependency']) });
  });

  test('leave every rule on by default, without requiring pins', () => {
    expect(dependencySettings(resolveConfig(undefined).config)).toEqual({ requirePins: false, disabled: new Set() });
  });
});
