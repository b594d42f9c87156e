import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../src/config/defaults.js';
import { loadConfigFile, parseConfigText, resolveConfig } from '../src/config/load.js';
import { enabledRules, ruleSettings } from '../src/config/rule-settings.js';
import { configSchema, MAX_FILE_SIZE_LIMIT } from '../src/config/schema.js';
import type { AnyRule } from '../src/engine/rule.js';

const rule = (id: string, category: AnyRule['meta']['category']) => ({ id, meta: { category } }) as AnyRule;
const RULES = [
  rule('sql-injection', 'injection'),
  rule('subprocess-shell-true', 'injection'),
  rule('weak-hash', 'crypto'),
];
const ids = (rules: AnyRule[]) => rules.map((r) => r.id);

describe('resolveConfig', () => {
  it('gives for an empty file exactly the defaults a scan without a config uses', () => {
    expect(configSchema.parse({})).toEqual(defaultConfig);
    expect(resolveConfig({}).config).toEqual(defaultConfig);
  });

  it('gives the documented defaults for an empty file', () => {
    expect(resolveConfig(undefined)).toEqual({ config: defaultConfig, errors: [] });
    expect(defaultConfig).toMatchObject({
      min_severity: 'low',
      max_file_size: 1024 * 1024,
      paths: { include: ['**/*.py'], exclude: [] },
      fail_on: { severity: 'high', confidence: 'medium' },
    });
  });

  it('refuses a max_file_size above 10 MiB and says so', () => {
    const { config, errors } = resolveConfig({ max_file_size: 100 * 1024 * 1024 });
    expect(config.max_file_size).toBe(1024 * 1024);
    expect(errors).toEqual([
      'max_file_size: at most 10485760 bytes (10 MiB) are allowed (using the default for `max_file_size`)',
    ]);
    expect(resolveConfig({ max_file_size: MAX_FILE_SIZE_LIMIT }).config.max_file_size).toBe(MAX_FILE_SIZE_LIMIT);
  });

  it('keeps the valid keys when others are broken', () => {
    const { config, errors } = resolveConfig({ min_severity: 'extreme', max_file_size: 2048, colour: 'blue' });
    expect(config.min_severity).toBe('low');
    expect(config.max_file_size).toBe(2048);
    expect(errors).toEqual([
      expect.stringMatching(/^min_severity: .*\(using the default for `min_severity`\)$/),
      'unknown key `colour` (ignored)',
    ]);
  });

  it('names the nested path of a broken value', () => {
    const { errors } = resolveConfig({ comments: { max_comments: 500 } });
    expect(errors).toEqual([expect.stringMatching(/^comments\.max_comments: /)]);
  });

  it('rejects a config that is not a mapping', () => {
    expect(resolveConfig(['a', 'b'])).toEqual({
      config: defaultConfig,
      errors: ['the config must be a mapping of keys to values; using the defaults'],
    });
  });

  it('ignores the _extends key, which is resolved before validation', () => {
    expect(resolveConfig({ _extends: 'org/.github' }).errors).toEqual([]);
  });
});

describe('parseConfigText', () => {
  it('reports YAML syntax errors with the source and falls back to the defaults', () => {
    const { config, errors } = parseConfigText('rules: [unclosed', '.github/warden.yml');
    expect(config).toEqual(defaultConfig);
    expect(errors).toEqual([expect.stringMatching(/^\.github\/warden\.yml: not valid YAML: .*; using the defaults$/)]);
  });

  it('prefixes validation errors with the source', () => {
    expect(parseConfigText('drafts: maybe\n', 'warden.yml').errors).toEqual([
      expect.stringMatching(/^warden\.yml: drafts: /),
    ]);
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'warden-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and validates a file', async () => {
    writeFileSync(join(dir, 'warden.yml'), 'min_confidence: high\n');
    expect(await loadConfigFile(join(dir, 'warden.yml'))).toEqual({
      config: { ...defaultConfig, min_confidence: 'high' },
      errors: [],
    });
  });

  it('turns a missing file into an error message, not an exception', async () => {
    const { config, errors } = await loadConfigFile(join(dir, 'missing.yml'));
    expect(config).toEqual(defaultConfig);
    expect(errors).toEqual([expect.stringContaining('cannot read the config (ENOENT); using the defaults')]);
  });
});

describe('enabledRules and ruleSettings', () => {
  const configOf = (rules: unknown) => resolveConfig({ rules }).config;

  it('enables every rule by default', () => {
    expect(ids(enabledRules(defaultConfig, RULES))).toEqual(['sql-injection', 'subprocess-shell-true', 'weak-hash']);
  });

  it('switches rules and categories off, a rule setting beating its category', () => {
    expect(ids(enabledRules(configOf({ injection: 'off', 'sql-injection': true }), RULES))).toEqual([
      'sql-injection',
      'weak-hash',
    ]);
    expect(ids(enabledRules(configOf({ 'weak-hash': false, 'sql-injection': { enabled: false } }), RULES))).toEqual([
      'subprocess-shell-true',
    ]);
  });

  it('collects per-rule options and severity overrides', () => {
    expect(
      ruleSettings(
        configOf({ 'sql-injection': { severity: 'medium', options: { orm: 'django' } }, 'weak-hash': 'on' }),
      ),
    ).toEqual({
      options: { 'sql-injection': { orm: 'django' } },
      severities: { 'sql-injection': 'medium' },
    });
  });
});
