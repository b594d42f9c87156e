import { fingerprint, normalizeSource } from '../engine/fingerprint.js';
import type { Finding, RuleMeta } from '../engine/types.js';
import { highestVersion, isVulnerable, type Advisory, type AdvisorySource } from './advisories.js';
import { manifestKind, parseManifest, type DependencyEntry } from './manifests.js';

/** Dependency checks are not tree-sitter rules, but they carry the same metadata so reports treat them alike. */
export const dependencyRules = {
  'vulnerable-dependency': {
    title: 'Dependency with a known vulnerability',
    category: 'dependencies',
    cwe: [1395],
    severity: 'high',
    confidence: 'high',
    equivalents: {},
    messages: { vulnerable: '' },
    docs: {
      why: 'A pinned or minimum version of this package is listed in an advisory: installing it brings a vulnerability that is public, documented and often exploited by scanners within days.',
      example: 'django==3.2.1',
      fix: 'Raise the version to the first patched release named in the advisory (the suggestion does this), then run the test suite.',
      references: ['https://github.com/advisories', 'https://cwe.mitre.org/data/definitions/1395.html'],
    },
  },
  'unpinned-dependency': {
    title: 'Dependency not pinned to one version',
    category: 'dependencies',
    cwe: [1357],
    severity: 'low',
    confidence: 'high',
    equivalents: {},
    messages: { unpinned: '' },
    docs: {
      why: 'An application that installs whatever version is newest gets untested code on every deploy, including a compromised or broken release; a pin (with hashes) makes installs reproducible and reviewable.',
      example: 'requests>=2.0',
      fix: 'Pin the exact version (`requests==2.32.3`), ideally through a lock file or `pip-compile --generate-hashes`.',
      references: [
        'https://pip.pypa.io/en/stable/topics/repeatable-installs/',
        'https://cwe.mitre.org/data/definitions/1357.html',
      ],
    },
  },
} satisfies Record<string, RuleMeta>;

export type DependencyRuleId = keyof typeof dependencyRules;

export interface ManifestFile {
  path: string;
  text: string;
  /** Lines the change touched; undefined checks the whole file. */
  touchedLines?: ReadonlySet<number>;
}

export interface DependencyCheckOptions {
  /** Where advisories come from; undefined skips the advisory check (said in `notes`). */
  advisories?: AdvisorySource;
  requirePins: boolean;
  /** Rule ids switched off by config. */
  disabled?: ReadonlySet<string>;
}

export interface DependencyCheckResult {
  findings: Finding[];
  notes: { path: string; line: number; message: string }[];
  /** Manifests checked. */
  manifests: number;
  /** Pins were found but no advisory source was given, so they were not checked. */
  advisoriesSkipped: boolean;
}

export function isManifestPath(path: string): boolean {
  return manifestKind(path) !== undefined;
}

function touches(entry: DependencyEntry, touched: ReadonlySet<number> | undefined): boolean {
  if (!touched) return true;
  for (let line = entry.line; line <= entry.endLine; line++) if (touched.has(line)) return true;
  return false;
}

/** Where a dependency finding sits: the manifest, its entry, and the text of the entry's first line. */
interface EntrySite {
  file: ManifestFile;
  entry: DependencyEntry;
  lineText: string;
}

function makeFinding(
  ruleId: DependencyRuleId,
  { file, entry, lineText }: EntrySite,
  identity: string,
  fields: Pick<Finding, 'message' | 'severity' | 'confidence'> & { fix?: Finding['fix'] },
): Finding {
  const meta = dependencyRules[ruleId];
  const finding: Finding = {
    ruleId,
    messageId: Object.keys(meta.messages)[0],
    title: meta.title,
    category: meta.category,
    cwe: meta.cwe,
    path: file.path,
    line: entry.line,
    column: 1,
    endLine: entry.endLine,
    endColumn: lineText.length + 1,
    fingerprint: fingerprint({ ruleId, path: file.path, scope: '', code: normalizeSource(identity) }, 0),
    ...fields,
  };
  return finding;
}

/** A whole-line edit that swaps the entry's version for `version`, if the line spells it once. */
function bumpFix(entry: DependencyEntry, lineText: string, version: string): Finding['fix'] | undefined {
  if (entry.locked || !entry.versionText || entry.line !== entry.endLine) return undefined;
  const at = lineText.indexOf(entry.versionText, Math.max(0, lineText.toLowerCase().indexOf(entry.name.toLowerCase())));
  if (at === -1) return undefined;
  const replacement = lineText.slice(0, at) + version + lineText.slice(at + entry.versionText.length);
  return {
    description: `Upgrade ${entry.name} to ${version}`,
    edits: [{ startLine: entry.line, endLine: entry.line, replacement }],
  };
}

function describe(advisory: Advisory): string {
  const cve = advisory.aliases.find((a) => a.startsWith('CVE-'));
  return `${advisory.id}${cve ? ` (${cve})` : ''}`;
}

/** Checks the dependency manifests among `files` on their touched lines. */
export async function checkManifests(
  files: readonly ManifestFile[],
  options: DependencyCheckOptions,
): Promise<DependencyCheckResult> {
  const result: DependencyCheckResult = { findings: [], notes: [], manifests: 0, advisoriesSkipped: false };
  const checked: { file: ManifestFile; lines: string[]; entries: DependencyEntry[] }[] = [];
  for (const file of files) {
    const kind = manifestKind(file.path);
    if (!kind) continue;
    result.manifests++;
    const manifest = parseManifest(kind, file.text);
    const lines = file.text.split(/\r?\n/);
    for (const note of manifest.notes) {
      if (!file.touchedLines || file.touchedLines.has(note.line)) result.notes.push({ path: file.path, ...note });
    }
    checked.push({ file, lines, entries: manifest.entries.filter((entry) => touches(entry, file.touchedLines)) });
  }

  if (options.requirePins && !options.disabled?.has('unpinned-dependency')) {
    for (const { file, lines, entries } of checked) {
      for (const entry of entries) {
        if (entry.locked || entry.pinned) continue;
        const written = `${entry.name}${entry.specifier ? ` ${entry.specifier}` : ''}`;
        result.findings.push(
          makeFinding(
            'unpinned-dependency',
            { file, entry, lineText: lines[entry.line - 1] ?? '' },
            entry.normalizedName,
            {
              message: `\`${written}\` is not pinned to one version: every install may bring a different release`,
              severity: 'low',
              confidence: 'high',
            },
          ),
        );
      }
    }
  }

  if (options.disabled?.has('vulnerable-dependency')) return result;
  const wanted = [
    ...new Set(checked.flatMap(({ entries }) => entries.filter((e) => e.lowerBound).map((e) => e.normalizedName))),
  ];
  if (wanted.length === 0) return result;
  if (!options.advisories) {
    result.advisoriesSkipped = true;
    result.notes.push({
      path: checked.find((c) => c.entries.length > 0)!.file.path,
      line: 1,
      message:
        'dependency advisories were not checked: no advisory source (set GITHUB_TOKEN or pass --advisories FILE)',
    });
    return result;
  }
  const advisories = await options.advisories.lookup(wanted);
  for (const { file, lines, entries } of checked) {
    for (const entry of entries) {
      // A pin is checked as is; a range by the lowest version it allows, the one a resolver may pick.
      const version = entry.pinned ?? entry.lowerBound;
      if (!version) continue;
      const matched = (advisories.get(entry.normalizedName) ?? []).filter((advisory) =>
        isVulnerable(version, advisory),
      );
      if (matched.length === 0) continue;
      const patched = highestVersion(matched.flatMap((a) => (a.firstPatched ? [a.firstPatched] : [])));
      const worst = matched.some((a) => a.severity === 'high')
        ? 'high'
        : matched.some((a) => a.severity === 'medium')
          ? 'medium'
          : 'low';
      const lineText = lines[entry.line - 1] ?? '';
      const first = matched[0];
      const others =
        matched.length > 1 ? ` and ${matched.length - 1} more advisor${matched.length === 2 ? 'y' : 'ies'}` : '';
      const how = entry.pinned
        ? `\`${entry.name}==${entry.pinned}\``
        : `\`${entry.name}${entry.specifier}\` allows ${version}, which`;
      const patchedText = patched ? `; first patched in ${patched}` : '; no patched version is published yet';
      const fix = patched ? bumpFix(entry, lineText, patched) : undefined;
      result.findings.push(
        makeFinding(
          'vulnerable-dependency',
          { file, entry, lineText },
          `${entry.normalizedName} ${matched
            .map((a) => a.id)
            .sort()
            .join(' ')}`,
          {
            message: `${how} is affected by ${describe(first)}${others}: ${first.summary} (vulnerable: ${first.vulnerableRange || 'all versions'}${patchedText})`,
            severity: worst,
            confidence: entry.pinned ? 'high' : 'medium',
            ...(fix ? { fix } : {}),
          },
        ),
      );
    }
  }
  return result;
}
