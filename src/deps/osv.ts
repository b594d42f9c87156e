import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { severityFromLabel, type Advisory, type AdvisorySource } from './advisories.js';
import { normalizePackageName } from './pep508.js';

/** The parts of an OSV record (https://ossf.github.io/osv-schema/) that matter here. */
interface OsvRecord {
  id: string;
  aliases?: string[];
  summary?: string;
  details?: string;
  withdrawn?: string;
  database_specific?: { severity?: string };
  references?: { type?: string; url: string }[];
  affected?: {
    package?: { ecosystem?: string; name?: string };
    ranges?: { type: string; events: Record<string, string>[] }[];
    versions?: string[];
    database_specific?: { severity?: string };
  }[];
}

/** Turns one OSV record into one advisory per vulnerable PyPI range. */
export function advisoriesFromOsv(record: OsvRecord): Advisory[] {
  if (record.withdrawn || !record.affected) return [];
  const ghsa = [record.id, ...(record.aliases ?? [])].find((id) => id.startsWith('GHSA-'));
  const id = ghsa ?? record.id;
  const aliases = [record.id, ...(record.aliases ?? [])].filter((alias) => alias !== id);
  const label =
    record.database_specific?.severity ??
    record.affected.find((a) => a.database_specific?.severity)?.database_specific?.severity ??
    'MODERATE';
  const url =
    record.references?.find((r) => r.type === 'ADVISORY')?.url ??
    (ghsa ? `https://github.com/advisories/${ghsa}` : `https://osv.dev/vulnerability/${record.id}`);
  const advisories: Advisory[] = [];
  for (const affected of record.affected) {
    if (affected.package?.ecosystem !== 'PyPI' || !affected.package.name) continue;
    const base = {
      id,
      aliases,
      summary: record.summary ?? record.details?.split('\n')[0] ?? id,
      severity: severityFromLabel(label),
      severityLabel: label.toUpperCase(),
      url,
      packageName: normalizePackageName(affected.package.name),
    };
    for (const range of affected.ranges ?? []) {
      if (range.type !== 'ECOSYSTEM') continue;
      // Events come in order: introduced, then fixed or last_affected, possibly several times.
      let lower: string | undefined;
      for (const event of range.events) {
        if (event.introduced !== undefined) lower = event.introduced === '0' ? '' : `>=${event.introduced}`;
        const upper =
          event.fixed !== undefined
            ? `<${event.fixed}`
            : event.last_affected !== undefined
              ? `<=${event.last_affected}`
              : undefined;
        if (upper !== undefined && lower !== undefined) {
          advisories.push({
            ...base,
            vulnerableRange: [lower, upper].filter(Boolean).join(','),
            ...(event.fixed ? { firstPatched: event.fixed } : {}),
          });
          lower = undefined;
        }
      }
      if (lower !== undefined) advisories.push({ ...base, vulnerableRange: lower });
    }
    if (!affected.ranges?.some((r) => r.type === 'ECOSYSTEM')) {
      for (const version of affected.versions ?? []) advisories.push({ ...base, vulnerableRange: `==${version}` });
    }
  }
  return advisories;
}

/** Advisories from OSV files on disk: a JSON array, a single record, or a folder of records. */
export class OsvFileSource implements AdvisorySource {
  private constructor(
    readonly description: string,
    private readonly byPackage: Map<string, Advisory[]>,
  ) {}

  static async load(path: string): Promise<OsvFileSource> {
    const records: OsvRecord[] = [];
    const info = await stat(path);
    const files = info.isDirectory()
      ? (await readdir(path)).filter((f) => f.endsWith('.json')).map((f) => join(path, f))
      : [path];
    for (const file of files) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new Error(`${file}: not a JSON OSV record (${(error as Error).message})`, { cause: error });
      }
      for (const record of Array.isArray(parsed) ? parsed : [parsed]) {
        if (record && typeof record === 'object' && typeof (record as OsvRecord).id === 'string')
          records.push(record as OsvRecord);
      }
    }
    const byPackage = new Map<string, Advisory[]>();
    for (const advisory of records.flatMap(advisoriesFromOsv)) {
      const list = byPackage.get(advisory.packageName);
      if (list) list.push(advisory);
      else byPackage.set(advisory.packageName, [advisory]);
    }
    return new OsvFileSource(`OSV records from ${path} (${records.length} records)`, byPackage);
  }

  lookup(packageNames: readonly string[]): Promise<Map<string, Advisory[]>> {
    return Promise.resolve(new Map(packageNames.map((name) => [name, this.byPackage.get(name) ?? []])));
  }
}
