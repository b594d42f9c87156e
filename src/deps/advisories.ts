import { createRequire } from 'node:module';
import type { Severity } from '../engine/types.js';

type Pep440 = typeof import('@renovatebot/pep440');
let pep440Library: Pep440 | undefined;

/** The version library, loaded on first use: only a scan that meets a manifest compares versions. */
function pep440(): Pep440 {
  pep440Library ??= createRequire(import.meta.url)('@renovatebot/pep440') as Pep440;
  return pep440Library;
}

/** One vulnerable version range of one package, from GitHub's advisory database or an OSV record. */
export interface Advisory {
  /** GHSA id, or the OSV id when there is no GHSA alias. */
  id: string;
  /** CVE ids and other aliases. */
  aliases: string[];
  summary: string;
  severity: Severity;
  /** GitHub's wording: LOW, MODERATE, HIGH, CRITICAL (or the OSV equivalent). */
  severityLabel: string;
  url: string;
  /** Normalised package name. */
  packageName: string;
  /** A PEP 440 specifier set, e.g. `>=1.0,<1.2.3`; '' means every version. */
  vulnerableRange: string;
  firstPatched?: string;
}

/** Looks advisories up by normalised package name, in as few requests as it can. */
export interface AdvisorySource {
  readonly description: string;
  lookup(packageNames: readonly string[]): Promise<Map<string, Advisory[]>>;
}

export function severityFromLabel(label: string): Severity {
  switch (label.toUpperCase()) {
    case 'CRITICAL':
    case 'HIGH':
      return 'high';
    case 'MODERATE':
    case 'MEDIUM':
      return 'medium';
    default:
      return 'low';
  }
}

/** GitHub writes ranges as `>= 1.0, < 1.2.3` or `= 1.0`; PEP 440 wants `>=1.0,<1.2.3` and `==1.0`. */
export function githubRangeToPep440(range: string): string {
  return range
    .split(',')
    .map((clause) => clause.trim().replace(/\s+/g, ''))
    .filter(Boolean)
    .map((clause) => (/^=[^=]/.test(clause) ? `=${clause}` : clause))
    .join(',');
}

/** True when `version` falls in the advisory's vulnerable range. Unparseable versions never match. */
export function isVulnerable(version: string, advisory: Advisory): boolean {
  if (!pep440().valid(version)) return false;
  if (advisory.vulnerableRange === '') return true;
  try {
    return pep440().satisfies(version, advisory.vulnerableRange);
  } catch {
    return false;
  }
}

/** The highest of several patched versions: the one that clears every matched advisory. */
export function highestVersion(versions: readonly string[]): string | undefined {
  const versionLibrary = pep440();
  const valid = versions.filter((v) => versionLibrary.valid(v));
  return valid.sort((a, b) => versionLibrary.compare(a, b)).at(-1);
}
