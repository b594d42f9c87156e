import type { IncompletePart } from '../engine/scan-source.js';
import type { Finding } from '../engine/types.js';
import type { BaseComparisonReport } from './base-comparison.js';
import type { SkippedFile } from './json.js';

/** Something worth knowing about a scanned file (syntax errors, decoding, a rule that threw). */
export interface FileNote {
  path: string;
  message: string;
}

/** What the scan of one pull request found and left out, ready to be rendered. */
export interface PullRequestReport {
  headSha: string;
  /** Findings new in the pull request after the config's filters, sorted by path and line. */
  findings: Finding[];
  /** Absent when nothing was compared (no changed Python file). */
  comparison?: BaseComparisonReport;
  /** Python files scanned. */
  filesScanned: number;
  /** Django and Jinja2 templates scanned (none when the template rule is off). */
  templatesScanned?: number;
  /** Dependency manifests read and checked (none when `dependencies.enabled` is false). */
  manifestsChecked?: number;
  skipped: SkippedFile[];
  /** Changed files that are not Python by the config's globs: counted, not listed. */
  nonPythonCount: number;
  /** Files past GitHub's 3,000-file listing limit. */
  unlistedCount: number;
  /** New findings silenced by `# warden: ignore`, `# nosec` or `# noqa` comments. */
  suppressedCount: number;
  notes: FileNote[];
  /** Files not fully scanned (a rule threw, a time budget ran out): the check cannot succeed. */
  incomplete: IncompletePart[];
  configErrors: string[];
  /** What went wrong while publishing (a review GitHub would not take, …). */
  problems: string[];
}
