import { createRequire } from 'node:module';

let toml: typeof import('smol-toml') | undefined;

/** The TOML parser, loaded on first use: most scans check no TOML manifest, and every CLI run would pay to load it. */
function parseToml(text: string): unknown {
  toml ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml');
  return toml.parse(text);
}
import {
  normalizePackageName,
  parseRequirement,
  RequirementSyntaxError,
  versionBounds,
  type VersionBounds,
} from './pep508.js';

export type ManifestKind = 'requirements' | 'pyproject' | 'pipfile' | 'pipfile-lock' | 'poetry-lock' | 'uv-lock';

/** One declared or locked dependency, with where it sits in the file. */
export interface DependencyEntry extends VersionBounds {
  name: string;
  normalizedName: string;
  /** The specifier as written (`>=1.0,<2`, `^1.2` for Poetry, `==1.2.3` for a lock entry). */
  specifier: string;
  marker?: string;
  /** 1-based lines the entry spans. */
  line: number;
  endLine: number;
  /** A lock file entry: generated, so no suggestion edits it. */
  locked: boolean;
  /** Where the version sits in the line, for a suggestion that bumps it. */
  versionText?: string;
}

export interface ManifestNote {
  line: number;
  message: string;
}

export interface ParsedManifest {
  kind: ManifestKind;
  entries: DependencyEntry[];
  /** Things not checked, with why: VCS and URL requirements, local paths, malformed lines. */
  notes: ManifestNote[];
  /** `-r other.txt` / `-c constraints.txt` references, resolved relative to the manifest. */
  includes: { path: string; line: number }[];
}

/** Which manifest a path is, by its file name; undefined for anything else. */
export function manifestKind(path: string): ManifestKind | undefined {
  const name = path.split('/').pop() ?? path;
  if (/^requirements.*\.(txt|in)$/i.test(name) || /^(dev|test|constraints)-?requirements\.txt$/i.test(name))
    return 'requirements';
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'Pipfile') return 'pipfile';
  if (name === 'Pipfile.lock') return 'pipfile-lock';
  if (name === 'poetry.lock') return 'poetry-lock';
  if (name === 'uv.lock') return 'uv-lock';
  return undefined;
}

export function parseManifest(kind: ManifestKind, text: string): ParsedManifest {
  const manifest: ParsedManifest = { kind, entries: [], notes: [], includes: [] };
  try {
    switch (kind) {
      case 'requirements':
        parseRequirementsTxt(text, manifest);
        break;
      case 'pyproject':
        parsePyproject(text, manifest);
        break;
      case 'pipfile':
        parsePipfile(text, manifest);
        break;
      case 'pipfile-lock':
        parsePipfileLock(text, manifest);
        break;
      case 'poetry-lock':
      case 'uv-lock':
        parseTomlLock(text, manifest);
        break;
    }
  } catch (error) {
    const line = (error as { line?: number }).line ?? 1;
    manifest.notes.push({
      line,
      message: `cannot parse the ${kind} manifest: ${(error as Error).message.split('\n')[0]}`,
    });
  }
  return manifest;
}

/** An entry as a manifest writes it; `endLine` defaults to `line`. */
type WrittenEntry = Pick<DependencyEntry, 'name' | 'specifier' | 'line' | 'locked' | 'marker'> & { endLine?: number };

function entryFrom({ name, specifier, line, endLine = line, locked, marker }: WrittenEntry): DependencyEntry {
  const bounds = versionBounds(specifier);
  const entry: DependencyEntry = {
    name,
    normalizedName: normalizePackageName(name),
    specifier,
    line,
    endLine,
    locked,
    ...bounds,
  };
  if (marker) entry.marker = marker;
  if (bounds.pinned) entry.versionText = bounds.pinned;
  else if (bounds.lowerBound) entry.versionText = bounds.lowerBound;
  return entry;
}

// ---- requirements.txt -------------------------------------------------------------------

const VCS_OR_URL = /^(git|hg|svn|bzr)\+|^[a-z][a-z0-9+.-]*:\/\//i;
const LOCAL_PATH = /^(\.{0,2}\/|~|[A-Za-z]:\\)|^\.$|\.(whl|tar\.gz|zip)$/i;

function parseRequirementsTxt(text: string, manifest: ParsedManifest): void {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const start = index + 1;
    let logical = lines[index];
    // Backslash continuations join physical lines into one requirement.
    while (/\\\s*$/.test(logical) && index + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, ' ') + lines[++index];
    }
    const end = index + 1;
    const content = logical.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;

    const include = /^(-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/.exec(content);
    if (include) {
      manifest.includes.push({ path: include[2], line: start });
      continue;
    }
    if (/^(-e|--editable)\b/.test(content)) {
      manifest.notes.push({
        line: start,
        message: `editable requirement \`${content}\` is not checked against advisories`,
      });
      continue;
    }
    if (content.startsWith('-')) continue; // index URLs, --pre, --find-links and other pip options
    // Per-requirement options such as --hash come after the requirement itself.
    const requirementText = content.replace(/\s--?[a-z-]+(=|\s+)\S+/gi, '').trim();
    if (VCS_OR_URL.test(requirementText) || LOCAL_PATH.test(requirementText)) {
      manifest.notes.push({
        line: start,
        message: `\`${requirementText}\` is a VCS, URL or local-path requirement: no version to check`,
      });
      continue;
    }
    try {
      const requirement = parseRequirement(requirementText);
      if (requirement.url) {
        manifest.notes.push({
          line: start,
          message: `\`${requirement.name}\` comes from a direct URL: no version to check`,
        });
        continue;
      }
      manifest.entries.push(
        entryFrom({
          name: requirement.name,
          specifier: requirement.specifier,
          line: start,
          endLine: end,
          locked: false,
          marker: requirement.marker,
        }),
      );
    } catch (error) {
      if (!(error instanceof RequirementSyntaxError)) throw error;
      manifest.notes.push({ line: start, message: error.message });
    }
  }
}

// ---- TOML manifests ---------------------------------------------------------------------

/** smol-toml gives no positions, so entries are found again in the text, after their section header. */
class LineFinder {
  private readonly lines: string[];
  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
  }

  /** The first line at or after the header matching `section` whose text satisfies `test`. */
  find(section: RegExp | undefined, test: (line: string) => boolean): number {
    let inSection = section === undefined;
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i];
      if (section && /^\s*\[/.test(line)) inSection = section.test(line.trim());
      if (inSection && test(line)) return i + 1;
    }
    return 1;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function addPep508(manifest: ParsedManifest, finder: LineFinder, section: RegExp, requirementText: string): void {
  const line = finder.find(section, (l) => l.includes(requirementText));
  try {
    const requirement = parseRequirement(requirementText);
    if (requirement.url) {
      manifest.notes.push({ line, message: `\`${requirement.name}\` comes from a direct URL: no version to check` });
      return;
    }
    manifest.entries.push(
      entryFrom({
        name: requirement.name,
        specifier: requirement.specifier,
        line,
        locked: false,
        marker: requirement.marker,
      }),
    );
  } catch (error) {
    if (!(error instanceof RequirementSyntaxError)) throw error;
    manifest.notes.push({ line, message: error.message });
  }
}

/** Poetry's `^1.2`, `~1.2`, `1.2.*`, `>=1.2` and bare `1.2.3` as a PEP 440 specifier. */
function poetrySpecifier(constraint: string): string {
  const trimmed = constraint.trim();
  if (trimmed === '*' || trimmed === '') return '';
  if (/^[\^~]=?\s*\d/.test(trimmed)) return `>=${trimmed.replace(/^[\^~]=?\s*/, '')}`;
  if (/^\d[\w.]*$/.test(trimmed)) return `==${trimmed}`;
  return trimmed.replace(/\s+/g, '');
}

type TomlTable = Record<string, unknown>;

function addTableDependencies(
  manifest: ParsedManifest,
  finder: LineFinder,
  section: RegExp,
  table: unknown,
  convert: (spec: string) => string,
): void {
  if (!table || typeof table !== 'object') return;
  for (const [name, value] of Object.entries(table as TomlTable)) {
    if (name.toLowerCase() === 'python') continue;
    const line = finder.find(section, (l) => new RegExp(`^\\s*["']?${escapeRegExp(name)}["']?\\s*=`).test(l));
    let constraint: string | undefined;
    if (typeof value === 'string') constraint = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const spec = value as TomlTable;
      if (typeof spec.version === 'string') constraint = spec.version;
      else if (spec.git || spec.path || spec.url || spec.file) {
        manifest.notes.push({
          line,
          message: `\`${name}\` comes from ${spec.git ? 'git' : spec.url || spec.file ? 'a URL' : 'a local path'}: no version to check`,
        });
        continue;
      } else constraint = '*';
    }
    if (constraint === undefined) continue;
    manifest.entries.push(entryFrom({ name, specifier: convert(constraint), line, locked: false }));
  }
}

function parsePyproject(text: string, manifest: ParsedManifest): void {
  const data = parseToml(text) as TomlTable;
  const finder = new LineFinder(text);
  const project = data.project as TomlTable | undefined;
  for (const requirement of (project?.dependencies as unknown[] | undefined) ?? []) {
    if (typeof requirement === 'string') addPep508(manifest, finder, /^\[project\]$/, requirement);
  }
  const optional = project?.['optional-dependencies'] as Record<string, unknown[]> | undefined;
  for (const group of Object.values(optional ?? {})) {
    for (const requirement of group ?? [])
      if (typeof requirement === 'string')
        addPep508(manifest, finder, /^\[project\.optional-dependencies\]$/, requirement);
  }
  const poetry = (data.tool as TomlTable | undefined)?.poetry as TomlTable | undefined;
  if (poetry) {
    addTableDependencies(
      manifest,
      finder,
      /^\[tool\.poetry\.(dev-)?dependencies\]$/,
      poetry.dependencies,
      poetrySpecifier,
    );
    addTableDependencies(
      manifest,
      finder,
      /^\[tool\.poetry\.dev-dependencies\]$/,
      poetry['dev-dependencies'],
      poetrySpecifier,
    );
    for (const [groupName, group] of Object.entries((poetry.group as TomlTable | undefined) ?? {})) {
      const section = new RegExp(`^\\[tool\\.poetry\\.group\\.${escapeRegExp(groupName)}\\.dependencies\\]$`);
      addTableDependencies(manifest, finder, section, (group as TomlTable).dependencies, poetrySpecifier);
    }
  }
}

function parsePipfile(text: string, manifest: ParsedManifest): void {
  const data = parseToml(text) as TomlTable;
  const finder = new LineFinder(text);
  const pipfileSpecifier = (spec: string) => (spec.trim() === '*' ? '' : spec.replace(/\s+/g, ''));
  addTableDependencies(manifest, finder, /^\[packages\]$/, data.packages, pipfileSpecifier);
  addTableDependencies(manifest, finder, /^\[dev-packages\]$/, data['dev-packages'], pipfileSpecifier);
}

function parsePipfileLock(text: string, manifest: ParsedManifest): void {
  const data = JSON.parse(text) as Record<string, Record<string, { version?: string; markers?: string }>>;
  const finder = new LineFinder(text);
  for (const group of ['default', 'develop']) {
    for (const [name, spec] of Object.entries(data[group] ?? {})) {
      const line = finder.find(undefined, (l) => l.includes(`"${name}": {`));
      if (typeof spec?.version !== 'string') {
        manifest.notes.push({ line, message: `\`${name}\` has no locked version: not checked` });
        continue;
      }
      manifest.entries.push(entryFrom({ name, specifier: spec.version, line, locked: true, marker: spec.markers }));
    }
  }
}

/** poetry.lock and uv.lock: `[[package]]` tables with `name` and `version`. */
function parseTomlLock(text: string, manifest: ParsedManifest): void {
  const data = parseToml(text) as TomlTable;
  const lines = text.split(/\r?\n/);
  let cursor = 0;
  for (const pkg of (data.package as TomlTable[] | undefined) ?? []) {
    const name = pkg.name;
    const version = pkg.version;
    if (typeof name !== 'string') continue;
    // Packages appear in file order; find this one's `version = …` line after its name.
    const nameLine = lines.findIndex(
      (l, i) => i >= cursor && new RegExp(`^name\\s*=\\s*"${escapeRegExp(name)}"`).test(l),
    );
    const blockEnd = nameLine === -1 ? -1 : lines.findIndex((l, i) => i > nameLine && /^\[/.test(l));
    const versionLine =
      nameLine === -1
        ? -1
        : lines.findIndex((l, i) => i > nameLine && (blockEnd === -1 || i < blockEnd) && /^version\s*=/.test(l));
    const line = (versionLine !== -1 ? versionLine : Math.max(nameLine, 0)) + 1;
    if (nameLine !== -1) cursor = nameLine + 1;
    if (typeof version !== 'string') {
      manifest.notes.push({ line, message: `\`${name}\` has no locked version (a local or VCS source): not checked` });
      continue;
    }
    manifest.entries.push(entryFrom({ name, specifier: `==${version}`, line, locked: true }));
  }
}
