import type { WardenConfig } from './schema.js';

/** Where a repository keeps its config: the App reads it from the default branch, the CLI from the working tree. */
export const CONFIG_PATH = '.github/warden.yml';

/** The gate without a config: `fail_on`'s defaults, which `--fail-on SEVERITY` completes too. */
export const DEFAULT_FAIL_ON = { severity: 'high', confidence: 'medium' } as const;

/**
 * The config of a repository without a config file: what the schema gives for `{}`. Written out
 * rather than parsed so that a scan without a config never loads the schema library, which is
 * most of a short CLI run's start-up (test/config.test.ts holds the two equal).
 */
export const defaultConfig: WardenConfig = {
  rules: {},
  min_severity: 'low',
  min_confidence: 'low',
  report_unknown_origin: true,
  fail_on: DEFAULT_FAIL_ON,
  paths: { include: ['**/*.py'], exclude: [] },
  comments: { mode: 'review', max_comments: 25, min_severity: 'low', min_confidence: 'medium' },
  drafts: false,
  max_file_size: 1024 * 1024,
  time_budget: { file_seconds: 10, pull_request_seconds: 120 },
  dependencies: { enabled: true, require_pins: false },
};
