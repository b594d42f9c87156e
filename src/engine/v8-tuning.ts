import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a process that runs scans. The flags are process-wide, so they cover worker
 * threads started later, and V8 reads each when it next needs it: at a collection, a compile, or
 * when it sets a function's tier-up budget. Set here, at run time, they count the same as on the
 * command line (8.16 G instructions against 8.15 G in the measurement below, on 97 files).
 *
 * - Heap growth. After each full collection V8 lets the heap grow to up to four times what
 *   survived before it collects again. A scan keeps little from one file to the next (the
 *   findings) and allocates a great deal per file, so most of that headroom fills with garbage:
 *   `warden scan` of the stdlib with two worker threads peaked at about 350 MiB, against about
 *   260 MiB with growth held at 1.5×, at the same speed within the noise of interleaved runs.
 * - Inlining. The rules and the analysis behind them are hundreds of small functions that all
 *   get hot, and TurboFan inlines their callees into each of them: in one scan of the stdlib on
 *   one thread (`--trace-opt`), its background threads spent 3.4 s compiling, against 6 s of
 *   scanning. With at most 200 bytes of bytecode inlined per function (the default is 920) they
 *   spent 1.1 s, whole-process CPU time fell by about a tenth on one thread, and on two threads
 *   of a two-core machine, where those compiles compete with the scan, wall time fell too.
 * - Tier-up. For the same reason, a function runs four times as long as V8's default before
 *   TurboFan compiles it: the truly hot ones (the walk, the dispatch, name resolution) still
 *   get compiled early in a scan, and the many lukewarm ones stay in baseline code. Counted
 *   with valgrind (cachegrind, `node --single-threaded`, every third stdlib file), a scan took
 *   17.4 G instructions against 18.3 G; eight times the default gave no more.
 */
export function tuneV8ForScans(): void {
  setFlagsFromString('--heap-growing-percent=50');
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
  setFlagsFromString('--interrupt-budget=270336');
}
