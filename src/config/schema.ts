import { z } from 'zod';
import { globListProblem } from './glob.js';

/** Globs within `GLOB_LIMITS`, so matching them stays cheap for every installation's worker. */
const globList = z.array(z.string()).superRefine((globs, context) => {
  const problem = globListProblem(globs);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

const level = z.enum(['low', 'medium', 'high']);

/** A rule switched on or off, or tuned. */
const ruleSetting = z.union([
  z.boolean(),
  z.enum(['on', 'off']),
  z.object({
    /** Switch the rule off without deleting its options. */
    enabled: z.boolean().default(true),
    /** Override the severity of every finding of this rule. */
    severity: level.optional(),
    /** Options handed to the rule through its context. */
    options: z.record(z.string(), z.unknown()).default({}),
    /**
     * Globs (relative to the repository root) where this rule, or every rule of this category,
     * reports nothing, while the other rules still scan those files: `exclude: ['scripts/**']`.
     */
    exclude: globList.default([]),
  }),
]);

/**
 * `.github/warden.yml`, read from the default branch (so a PR cannot switch off its own checks),
 * with org-wide defaults through `_extends`. The CLI reads the same file with `--config`.
 */
/** The largest `max_file_size` a config may set. */
export const MAX_FILE_SIZE_LIMIT = 10 * 1024 * 1024;

export const configSchema = z.object({
  /** Per-rule switches by rule id or category name: `sql-injection: off`, `crypto: off`. */
  rules: z.record(z.string(), ruleSetting).default({}),
  /** Findings below this severity are not reported anywhere. */
  min_severity: level.default('low'),
  /** Findings below this confidence are not reported anywhere. */
  min_confidence: level.default('low'),
  /** Report non-constant values of unknown origin at sinks (lower confidence), not only flows from known sources. */
  report_unknown_origin: z.boolean().default(true),
  /** The check run fails on a finding at or above both levels; `false` never fails. */
  fail_on: z
    .union([z.literal(false), z.object({ severity: level.default('high'), confidence: level.default('medium') })])
    .default({ severity: 'high', confidence: 'medium' }),
  /**
   * Which files are scanned, as globs relative to the repository root (syntax in `glob.ts`). Each
   * list holds at most 50 globs of at most 200 characters and 20 wildcards.
   */
  paths: z
    .object({
      include: globList.default(['**/*.py']),
      exclude: globList.default([]),
    })
    .default({ include: ['**/*.py'], exclude: [] }),
  /** How findings reach the PR. */
  comments: z
    .object({
      /** `review`: a check run and inline review comments; `check-only`: the check run alone. */
      mode: z.enum(['review', 'check-only']).default('review'),
      /** Inline comments per review; the rest are summarised in the review body. */
      max_comments: z.number().int().min(0).max(100).default(25),
      /** Only findings at or above this severity get an inline comment. */
      min_severity: level.default('low'),
      /** Only findings at or above this confidence get an inline comment. */
      min_confidence: level.default('medium'),
    })
    .default({ mode: 'review', max_comments: 25, min_severity: 'low', min_confidence: 'medium' }),
  /**
   * A baseline written by `warden scan --write-baseline` from the repository root and committed:
   * the App hides the findings it accepts (read from the default branch, so a PR cannot accept its
   * own), as `warden scan --baseline FILE` does.
   */
  baseline: z.string().min(1).optional(),
  /** Scan draft pull requests too. */
  drafts: z.boolean().default(false),
  /**
   * Files larger than this many bytes are skipped, with the reason in the summary. At most
   * 10 MiB: one pull request must not make a worker that serves every installation parse a
   * 100 MB file; a larger value is refused and the default used, as the summary says.
   */
  max_file_size: z
    .number()
    .int()
    .positive()
    .max(MAX_FILE_SIZE_LIMIT, { message: `at most ${MAX_FILE_SIZE_LIMIT} bytes (10 MiB) are allowed` })
    .default(1024 * 1024),
  /**
   * How long a scan may take, parsing and rules alike. A file still unfinished at its deadline is
   * reported as not fully scanned, and the check is then neutral (or failing, when a finding
   * fails it), never successful: hostile input cannot buy a pass by being slow.
   */
  time_budget: z
    .object({
      /** Seconds for one file. */
      file_seconds: z.number().positive().max(600).default(10),
      /** Seconds for all the files of one pull request (the App; the CLI has no total). */
      pull_request_seconds: z.number().positive().max(3600).default(120),
    })
    .default({ file_seconds: 10, pull_request_seconds: 120 }),
  /** Checks of Python dependency manifests against GitHub's advisory database. */
  dependencies: z
    .object({
      /** Check manifests the PR touches for known-vulnerable versions. */
      enabled: z.boolean().default(true),
      /** Flag requirements that are not pinned to one version (for applications, not libraries). */
      require_pins: z.boolean().default(false),
    })
    .default({ enabled: true, require_pins: false }),
});

export type WardenConfig = z.infer<typeof configSchema>;
export type RuleSetting = z.infer<typeof ruleSetting>;
