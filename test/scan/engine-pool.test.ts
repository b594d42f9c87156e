import { describe, expect, it } from '@jest/globals';
import { threadsPayFor } from '../../src/scan/engine-pool.js';

/** Files given as their sizes; the sizes asked for are recorded. */
function measured(sizes: number[]) {
  const asked: number[] = [];
  const sizeOf = (size: number) => {
    asked.push(size);
    return Promise.resolve(size);
  };
  return { pay: threadsPayFor(sizes, sizeOf), asked };
}

describe('when worker threads pay', () => {
  it('never for one file, however large: it cannot be split between threads', async () => {
    const { pay, asked } = measured([900 * 1024]);
    expect(await pay).toBe(false);
    expect(asked).toEqual([]);
  });

  it('not for a few small files, where starting a thread costs more than the scan', async () => {
    expect(await measured([2_000, 40_000, 15_000]).pay).toBe(false);
  });

  it('for several files with enough source in all', async () => {
    expect(await measured([300 * 1024, 300 * 1024]).pay).toBe(true);
    expect(await measured(Array<number>(400).fill(4 * 1024)).pay).toBe(true);
  });

  it('stops measuring once the files hold enough source', async () => {
    const { pay, asked } = measured(Array<number>(400).fill(4 * 1024));
    await pay;
    expect(asked).toHaveLength(128);
  });
});
