/** Thrown from inside the engine when a file's time budget is spent; the scan stops and says so. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('the time budget ran out');
  }
}

/** Calls between two looks at the clock: each is cheap, and thousands of them take well under a millisecond. */
const CHECKS_PER_CLOCK_READ = 256;

/**
 * When a file's scan must end. Long loops inside the engine (binding collection, data flow,
 * constant folding, the walk) call `check`, so one hostile statement cannot run past the
 * deadline between two nodes of the walk.
 */
export class Deadline {
  private countdown = CHECKS_PER_CLOCK_READ;

  constructor(readonly at = Infinity) {}

  check(): void {
    if (--this.countdown > 0) return;
    this.countdown = CHECKS_PER_CLOCK_READ;
    if (Date.now() > this.at) throw new DeadlineExceeded();
  }
}
