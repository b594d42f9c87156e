import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { BaselineError, serializeBaseline, type Baseline } from '../scan/baseline.js';
import { repositoryRoot } from '../scan/git.js';

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

/** Where a scan's baseline comes from. */
export interface BaselineChoice {
  cwd: string;
  /** `--baseline FILE`, relative to the working directory. */
  flag: string | undefined;
  /** The config's `baseline:`, relative to the repository root (the working directory outside git). */
  configured: string | undefined;
  warn(message: string): void;
}

/**
 * `--baseline FILE` when given (a missing or broken file stops the scan), else the config's
 * `baseline:` key, which the App honours too: a missing or broken file there is a warning, and the
 * scan goes on without it, as a broken config key falls back to its default.
 */
export async function chooseBaseline(choice: BaselineChoice): Promise<Baseline | undefined> {
  if (choice.flag) return readBaselineFile(resolve(choice.cwd, choice.flag), choice.flag);
  if (!choice.configured) return undefined;
  const path = resolve((await repositoryRoot(choice.cwd)) ?? choice.cwd, choice.configured);
  const shown = relative(choice.cwd, path) || path;
  try {
    const { parseBaseline } = await import('../scan/baseline-parse.js');
    return parseBaseline(await readFile(path, 'utf8'), shown);
  } catch (error) {
    const reason = error instanceof BaselineError ? error.message : `${shown}: cannot read (${describe(error)})`;
    choice.warn(`config \`baseline: ${choice.configured}\`: ${reason}; no finding is hidden`);
    return undefined;
  }
}
