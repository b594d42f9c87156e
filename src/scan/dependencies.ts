import type { Advisory, AdvisorySource } from '../deps/advisories.js';
import { checkManifests, dependencyRules, type ManifestFile } from '../deps/check.js';
import type { DependencySettings } from '../deps/settings.js';
import type { Finding } from '../engine/types.js';
import { GithubAdvisorySource, type GraphqlClient } from '../github/advisories.js';
import type { GitHubClient } from '../github/client.js';
import type { FileNote } from '../report/pull-request.js';

export interface DependencyScan {
  findings: Finding[];
  notes: FileNote[];
  /**
   * The dependency rules that really checked the manifests: a comment of a rule that was off,
   * or whose advisories could not be read, is not "fixed" because its finding is missing.
   */
  rulesRun: string[];
  /** Pins were found but not checked for known vulnerabilities: there was no advisory source. */
  advisoriesSkipped: boolean;
}

/** Shared by every scan in the process, whatever the installation: advisories are public data. */
let processAdvisories: GithubAdvisorySource | undefined;

function advisoriesThrough(octokit: GitHubClient): GithubAdvisorySource {
  const graphql = octokit.graphql as unknown as GraphqlClient;
  processAdvisories ??= new GithubAdvisorySource(graphql);
  return processAdvisories.withClient(graphql);
}

/** Remembers a failed lookup instead of throwing it: the code findings still get published. */
class LookupFailureRecorder implements AdvisorySource {
  failure: Error | undefined;

  constructor(private readonly source: AdvisorySource) {}

  get description(): string {
    return this.source.description;
  }

  async lookup(packageNames: readonly string[]): Promise<Map<string, Advisory[]>> {
    try {
      return await this.source.lookup(packageNames);
    } catch (error) {
      this.failure = error as Error;
      return new Map();
    }
  }
}

/**
 * Packages whose advisories one scan looks up: 10 GraphQL queries. A real change touches far
 * fewer; a manifest of thousands of made-up names must not cost a query per 40 of them.
 */
export const ADVISORY_LOOKUPS_PER_SCAN = 400;

/** Looks up the first `limit` packages and counts the rest, which the summary then names. */
class CappedLookup implements AdvisorySource {
  unchecked = 0;
  requested = 0;

  constructor(
    private readonly source: AdvisorySource,
    private readonly limit: number,
  ) {}

  get description(): string {
    return this.source.description;
  }

  lookup(packageNames: readonly string[]): Promise<Map<string, Advisory[]>> {
    const unique = [...new Set(packageNames)];
    this.requested = unique.length;
    this.unchecked = Math.max(0, unique.length - this.limit);
    return this.source.lookup(unique.slice(0, this.limit));
  }
}

/**
 * Checks the touched entries of manifests, for every front-end: known-vulnerable versions in
 * `advisories` (none: the pins are counted as unchecked), unpinned ones when the config asks.
 */
export async function checkManifestFiles(
  manifests: readonly ManifestFile[],
  settings: DependencySettings,
  advisories: AdvisorySource | undefined,
): Promise<DependencyScan> {
  const result = await checkManifests(manifests, {
    advisories,
    requirePins: settings.requirePins,
    disabled: settings.disabled,
  });
  return {
    findings: result.findings,
    notes: result.notes.map((note) => ({ path: note.path, message: `line ${note.line}: ${note.message}` })),
    rulesRun: Object.keys(dependencyRules).filter(
      (id) => !settings.disabled.has(id) && (id !== 'unpinned-dependency' || settings.requirePins),
    ),
    advisoriesSkipped: result.advisoriesSkipped,
  };
}

/**
 * Checks the touched entries of the PR's manifests through GitHub's advisory database (one query
 * for up to 40 packages, cached, at most `ADVISORY_LOOKUPS_PER_SCAN` packages a scan). A lookup
 * that fails leaves a note instead of failing the scan. A manifest-free PR costs nothing: the
 * caller only comes here with manifests.
 */
export async function checkPullManifests(
  octokit: GitHubClient,
  manifests: readonly ManifestFile[],
  settings: DependencySettings,
): Promise<DependencyScan> {
  const capped = new CappedLookup(advisoriesThrough(octokit), ADVISORY_LOOKUPS_PER_SCAN);
  const advisories = new LookupFailureRecorder(capped);
  const checked = await checkManifestFiles(manifests, settings, advisories);
  const { notes, rulesRun } = checked;
  if (advisories.failure) {
    const message = advisories.failure.message.split('\n')[0];
    notes.push({
      path: manifests[0].path,
      message: `known vulnerabilities were not checked: GitHub's advisory database could not be read (${message})`,
    });
    return { ...checked, rulesRun: rulesRun.filter((id) => id !== 'vulnerable-dependency') };
  }
  if (capped.unchecked > 0) {
    notes.push({
      path: manifests[0].path,
      message: `known vulnerabilities were checked for ${ADVISORY_LOOKUPS_PER_SCAN} of the ${capped.requested} packages this change touches: a scan looks up at most ${ADVISORY_LOOKUPS_PER_SCAN}, so ${capped.unchecked} were not checked`,
    });
    // A comment on a package that was not looked up this time is not "fixed" because its finding is missing.
    return { ...checked, rulesRun: rulesRun.filter((id) => id !== 'vulnerable-dependency') };
  }
  return checked;
}
