/** Reading a V8 CPU profile (`node --cpu-prof`): where the time went, by function. */
import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  /** `name (file:line)`, or V8's own label for time outside JavaScript (`(garbage collector)`). */
  name: string;
  selfMs: number;
  /** Of all sampled time except idle. */
  share: number;
}

/** Paths inside the repository or a package, not the machine's absolute ones. */
function shortUrl(url: string): string {
  const inPackage = /node_modules\/(.*)$/.exec(url);
  if (inPackage) return inPackage[1];
  // The product's build (`dist/`) or the tools' build of the same sources (`build/src/`).
  const inBuild = /\/(?:dist|build\/src)\/(.*)\.js$/.exec(url);
  return inBuild ? `src/${inBuild[1]}.ts` : url;
}

/**
 * The `count` functions with the most self time. Self time is what a function spent in its own
 * code, native calls it makes included, without the functions it calls. Positions in compiled
 * files point at the JavaScript, so the TypeScript file is named without a line.
 */
export function topSelfTime(profilePath: string, count: number): ProfileEntry[] {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const nameById = new Map(
    profile.nodes.map(({ id, callFrame: { functionName, url, lineNumber } }) => {
      if (!url) return [id, functionName] as const;
      const where = /\/(dist|build\/src)\//.test(url) ? shortUrl(url) : `${shortUrl(url)}:${lineNumber + 1}`;
      return [id, `${functionName || '(anonymous)'} (${where})`] as const;
    }),
  );
  const selfByName = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const name = nameById.get(id)!;
    if (name === '(idle)') return;
    const micros = profile.timeDeltas[index] ?? 0;
    selfByName.set(name, (selfByName.get(name) ?? 0) + micros);
    total += micros;
  });
  return [...selfByName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => ({ name, selfMs: micros / 1000, share: micros / total }));
}
