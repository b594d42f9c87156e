import { githubRangeToPep440, severityFromLabel, type Advisory, type AdvisorySource } from '../deps/advisories.js';

/** The `graphql` function of an Octokit instance (App installation or token-authenticated). */
export type GraphqlClient = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

interface VulnerabilityConnection {
  nodes: {
    advisory: {
      ghsaId: string;
      summary: string;
      severity: string;
      permalink: string;
      identifiers: { type: string; value: string }[];
      withdrawnAt: string | null;
    };
    vulnerableVersionRange: string;
    firstPatchedVersion: { identifier: string } | null;
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Packages per query: each alias is one connection of up to 100 nodes, well within GraphQL's limits. */
const PACKAGES_PER_QUERY = 40;
const DEFAULT_TTL_MS = 60 * 60 * 1000;

/**
 * GitHub's advisory database through GraphQL `securityVulnerabilities(ecosystem: PIP, …)`.
 * Many packages go into one query as aliases, and answers are cached per package for a TTL,
 * so a lock file with hundreds of packages costs a handful of calls, and the next PR fewer.
 */
export class GithubAdvisorySource implements AdvisorySource {
  readonly description = "GitHub's advisory database";

  constructor(
    private readonly graphql: GraphqlClient,
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly cache = new Map<string, { expires: number; advisories: Advisory[] }>(),
  ) {}

  /**
   * A source that asks through another client but shares this one's cache: advisories are
   * public, so what one installation's scan looked up spares every other installation the call.
   */
  withClient(graphql: GraphqlClient): GithubAdvisorySource {
    return new GithubAdvisorySource(graphql, this.ttlMs, this.now, this.cache);
  }

  async lookup(packageNames: readonly string[]): Promise<Map<string, Advisory[]>> {
    const result = new Map<string, Advisory[]>();
    const missing: string[] = [];
    for (const name of new Set(packageNames)) {
      const cached = this.cache.get(name);
      if (cached && cached.expires > this.now()) result.set(name, cached.advisories);
      else missing.push(name);
    }
    let pending = missing.map((name) => ({ name, after: null as string | null, advisories: [] as Advisory[] }));
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += PACKAGES_PER_QUERY) {
        const batch = pending.slice(start, start + PACKAGES_PER_QUERY);
        const data = await this.graphql<Record<string, VulnerabilityConnection>>(buildQuery(batch));
        batch.forEach((item, index) => {
          const connection = data[`p${index}`];
          if (!connection) return;
          for (const node of connection.nodes) {
            if (node.advisory.withdrawnAt) continue;
            item.advisories.push({
              id: node.advisory.ghsaId,
              aliases: node.advisory.identifiers.filter((i) => i.type !== 'GHSA').map((i) => i.value),
              summary: node.advisory.summary,
              severity: severityFromLabel(node.advisory.severity),
              severityLabel: node.advisory.severity,
              url: node.advisory.permalink,
              packageName: item.name,
              vulnerableRange: githubRangeToPep440(node.vulnerableVersionRange),
              ...(node.firstPatchedVersion ? { firstPatched: node.firstPatchedVersion.identifier } : {}),
            });
          }
          if (connection.pageInfo.hasNextPage && connection.pageInfo.endCursor)
            next.push({ ...item, after: connection.pageInfo.endCursor });
          else {
            result.set(item.name, item.advisories);
            this.cache.set(item.name, { expires: this.now() + this.ttlMs, advisories: item.advisories });
          }
        });
      }
      pending = next;
    }
    return result;
  }
}

function buildQuery(batch: readonly { name: string; after: string | null }[]): string {
  const fields = batch.map(
    ({ name, after }, index) =>
      `p${index}: securityVulnerabilities(ecosystem: PIP, package: ${JSON.stringify(name)}, first: 100${after ? `, after: ${JSON.stringify(after)}` : ''}) {
    nodes { advisory { ghsaId summary severity permalink identifiers { type value } withdrawnAt } vulnerableVersionRange firstPatchedVersion { identifier } }
    pageInfo { hasNextPage endCursor }
  }`,
  );
  return `query WardenAdvisories {\n  ${fields.join('\n  ')}\n}`;
}
