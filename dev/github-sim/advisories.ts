/**
 * A few real entries of GitHub's advisory database (PIP ecosystem), enough for the demo's
 * requirements and for tests; push to `GitHubSimulator.advisories` to add more.
 */
export interface SimAdvisory {
  ghsaId: string;
  cve: string | null;
  package: string;
  summary: string;
  severity: 'LOW' | 'MODERATE' | 'HIGH' | 'CRITICAL';
  /** GitHub's range syntax, e.g. `< 5.4` or `>= 2.3.0, < 2.3.2`. */
  vulnerableVersionRange: string;
  firstPatchedVersion: string | null;
  publishedAt: string;
  withdrawnAt: string | null;
}

export const KNOWN_ADVISORIES: readonly SimAdvisory[] = [
  {
    ghsaId: 'GHSA-6757-jp84-gxfx',
    cve: 'CVE-2020-1747',
    package: 'pyyaml',
    summary: 'Improper Input Validation in PyYAML',
    severity: 'CRITICAL',
    vulnerableVersionRange: '< 5.3.1',
    firstPatchedVersion: '5.3.1',
    publishedAt: '2020-04-07T15:47:40Z',
    withdrawnAt: null,
  },
  {
    ghsaId: 'GHSA-8q59-q68h-6hv4',
    cve: 'CVE-2020-14343',
    package: 'pyyaml',
    summary: 'Improper Input Validation in PyYAML',
    severity: 'CRITICAL',
    vulnerableVersionRange: '< 5.4',
    firstPatchedVersion: '5.4',
    publishedAt: '2021-03-25T21:26:03Z',
    withdrawnAt: null,
  },
  {
    ghsaId: 'GHSA-m2qf-hxjv-5gpq',
    cve: 'CVE-2023-30861',
    package: 'flask',
    summary: 'Flask vulnerable to possible disclosure of permanent session cookie due to missing Vary: Cookie header',
    severity: 'HIGH',
    vulnerableVersionRange: '< 2.2.5',
    firstPatchedVersion: '2.2.5',
    publishedAt: '2023-05-01T19:35:58Z',
    withdrawnAt: null,
  },
  {
    ghsaId: 'GHSA-j8r2-6x86-q33q',
    cve: 'CVE-2023-32681',
    package: 'requests',
    summary: 'Unintended leak of Proxy-Authorization header in requests',
    severity: 'MODERATE',
    vulnerableVersionRange: '>= 2.3.0, < 2.31.0',
    firstPatchedVersion: '2.31.0',
    publishedAt: '2023-05-22T20:36:32Z',
    withdrawnAt: null,
  },
];

/** PEP 503 normalization, as GitHub matches PIP package names. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
