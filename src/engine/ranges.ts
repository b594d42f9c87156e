/** A source range (UTF-16 offsets, end exclusive) that stands for something. */
export interface Range<T> {
  start: number;
  end: number;
  value: T;
}

/**
 * Ranges that nest or are disjoint, as syntax nodes are, indexed so that the innermost range
 * around an offset is a binary search away. Finding the scope or the loop around a node this
 * way costs nothing per level of nesting, where climbing `node.parent` in tree-sitter's binding
 * costs time proportional to the depth at every step.
 */
export class NestedRanges<T> {
  private readonly ranges: Range<T>[];
  /** The range around each range, or -1. */
  private readonly parents: number[] = [];
  /** `innermost[i]` holds over `[boundaries[i], boundaries[i + 1])`. */
  private readonly boundaries: number[] = [];
  private readonly innermost: number[] = [];

  /** `ranges` in any order; ranges with equal bounds nest in the order given (the later one inside). */
  constructor(ranges: readonly Range<T>[]) {
    this.ranges = ranges
      .filter((range) => range.end > range.start)
      .map((range, order) => ({ range, order }))
      .sort((a, b) => a.range.start - b.range.start || b.range.end - a.range.end || a.order - b.order)
      .map(({ range }) => range);
    const open: number[] = [];
    const closeUntil = (offset: number) => {
      while (open.length > 0 && this.ranges[open.at(-1)!].end <= offset) {
        const closed = open.pop()!;
        this.mark(this.ranges[closed].end, open.at(-1) ?? -1);
      }
    };
    this.ranges.forEach((range, index) => {
      closeUntil(range.start);
      this.parents.push(open.at(-1) ?? -1);
      this.mark(range.start, index);
      open.push(index);
    });
    closeUntil(Infinity);
  }

  private mark(offset: number, index: number): void {
    if (this.boundaries.at(-1) === offset) this.innermost[this.innermost.length - 1] = index;
    else {
      this.boundaries.push(offset);
      this.innermost.push(index);
    }
  }

  /** The innermost range that holds all of `[start, end)` and that `accept` takes, or undefined. */
  around(start: number, end: number, accept: (range: Range<T>) => boolean = () => true): Range<T> | undefined {
    let low = 0;
    let high = this.boundaries.length - 1;
    let segment = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.boundaries[middle] <= start) {
        segment = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    // Only ranges that start where the query starts can hold `start` but not `end`, so this climb stays short.
    for (let index = segment === -1 ? -1 : this.innermost[segment]; index !== -1; index = this.parents[index]!) {
      const range = this.ranges[index];
      if (range.start <= start && end <= range.end && accept(range)) return range;
    }
    return undefined;
  }
}
