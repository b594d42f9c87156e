import { stat } from 'node:fs/promises';
import type { FileResult } from '../engine/scan-source.js';
import { sharedEnginePool, threadsPayFor } from '../scan/engine-pool.js';
import { scanFile, type FileScanSettings, type ScanTarget } from './scan-file.js';

/** Files read ahead of the engine: enough to keep both worker threads busy without holding the repository in memory. */
const FILES_IN_FLIGHT = 8;

/** Scans every target on the engine pool (on this thread when threads do not pay); results keep the targets' order. */
export async function scanTargets(targets: readonly ScanTarget[], settings: FileScanSettings): Promise<FileResult[]> {
  const pool = sharedEnginePool();
  const sizes = await Promise.all(
    targets.map((target) =>
      stat(target.path).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  );
  const fileSettings = { ...settings, onCallingThread: !threadsPayFor(sizes) };
  const results = new Array<FileResult>(targets.length);
  let next = 0;
  const lane = async () => {
    while (next < targets.length) {
      const index = next++;
      results[index] = await scanFile(targets[index], fileSettings, pool);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, targets.length) }, lane));
  return results;
}
