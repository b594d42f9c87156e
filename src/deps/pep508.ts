/** PEP 508 requirement strings (`name[extra]>=1.0,<2; python_version < "3.11"`) and PEP 503 names. */

export interface Requirement {
  name: string;
  /** PEP 503 normalised: lower case, runs of `-_.` folded to `-`. */
  normalizedName: string;
  extras: string[];
  /** The version specifier as written, without spaces (`>=1.0,<2`), or '' when there is none. */
  specifier: string;
  marker?: string;
  /** A direct reference (`name @ https://…`, VCS URLs): no version to check. */
  url?: string;
}

export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const SPECIFIER_CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9.*+!_-]+)$/;

export class RequirementSyntaxError extends Error {}

/** Parses one PEP 508 requirement; throws RequirementSyntaxError with a readable reason. */
export function parseRequirement(text: string): Requirement {
  const nameMatch = NAME.exec(text);
  if (!nameMatch) throw new RequirementSyntaxError(`not a requirement: \`${text.trim()}\``);
  const name = nameMatch[1];
  let rest = text.slice(nameMatch[0].length);
  const requirement: Requirement = { name, normalizedName: normalizePackageName(name), extras: [], specifier: '' };

  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) throw new RequirementSyntaxError(`unclosed extras in \`${text.trim()}\``);
    requirement.extras = rest
      .slice(1, close)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    rest = rest.slice(close + 1).trimStart();
  }

  const semicolon = findMarkerStart(rest);
  if (semicolon !== -1) {
    requirement.marker = rest.slice(semicolon + 1).trim();
    rest = rest.slice(0, semicolon).trim();
  }

  if (rest.startsWith('@')) {
    requirement.url = rest.slice(1).trim();
    return requirement;
  }
  let specifier = rest.trim();
  if (specifier.startsWith('(') && specifier.endsWith(')')) specifier = specifier.slice(1, -1).trim();
  if (specifier !== '') {
    const clauses = specifier.split(',').map((c) => c.trim());
    for (const clause of clauses) {
      if (!SPECIFIER_CLAUSE.test(clause))
        throw new RequirementSyntaxError(`invalid version specifier \`${clause}\` in \`${text.trim()}\``);
    }
    requirement.specifier = clauses.map((c) => c.replace(/\s+/g, '')).join(',');
  }
  return requirement;
}

/** A `;` starts the marker, except inside a URL (`name @ https://…;x`) where it needs a space before it. */
function findMarkerStart(rest: string): number {
  if (rest.trimStart().startsWith('@')) {
    const match = /\s;/.exec(rest);
    return match ? match.index + 1 : -1;
  }
  return rest.indexOf(';');
}

export interface VersionBounds {
  /** The one version allowed (`==1.2.3`, `===1.2.3`). */
  pinned?: string;
  /** The lowest version allowed, when the specifier has one. */
  lowerBound?: string;
}

/** What a specifier says about the versions it allows, for advisory matching. */
export function versionBounds(specifier: string): VersionBounds {
  const bounds: VersionBounds = {};
  for (const clause of specifier.split(',').filter(Boolean)) {
    const match = SPECIFIER_CLAUSE.exec(clause);
    if (!match) continue;
    const [, operator, version] = match as unknown as [string, string, string];
    if ((operator === '==' || operator === '===') && !version.includes('*')) bounds.pinned = version;
    else if (operator === '==' && version.includes('*')) bounds.lowerBound = version.replace(/\.?\*$/, '') || undefined;
    else if (operator === '>=' || operator === '~=' || operator === '>') bounds.lowerBound = version;
  }
  if (bounds.pinned) bounds.lowerBound = bounds.pinned;
  return bounds;
}
