import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BaselineError, serializeBaseline, type Baseline } from '../scan/baseline.js';

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** `--baseline FILE`: read before the scan, so a missing or broken file stops it at once. */
export async function readBaselineFile(path: string, shown: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BaselineError(`--baseline ${shown}: cannot read (${describe(error)})`);
  }
  const { parseBaseline } = await import('../scan/baseline-parse.js');
  return parseBaseline(text, shown);
}

export async function writeBaselineFile(path: string, shown: string, baseline: Baseline): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, serializeBaseline(baseline));
  } catch (error) {
    throw new BaselineError(`--write-baseline ${shown}: cannot write (${describe(error)})`);
  }
}
