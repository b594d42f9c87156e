import { describe, expect, it } from '@jest/globals';
import { threadsPayFor } from '../../src/scan/engine-pool.js';

describe('when worker threads pay', () => {
  it('never for one file, however large: it cannot be split between threads', () => {
    expect(threadsPayFor([900 * 1024])).toBe(false);
  });

  it('not for a few small files, where starting a thread costs more than the scan', () => {
    expect(threadsPayFor([2_000, 40_000, 15_000])).toBe(false);
  });

  it('for several files with enough source in all', () => {
    expect(threadsPayFor([300 * 1024, 300 * 1024])).toBe(true);
    expect(threadsPayFor(Array<number>(400).fill(4 * 1024))).toBe(true);
  });
});
