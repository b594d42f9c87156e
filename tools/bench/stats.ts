/** Medians with their spread: on a shared machine a single time means little. */
export interface Stats {
  values: number[];
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function stats(values: readonly number[]): Stats {
  return { values: [...values], median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** `1.23 [1.20–1.31]` after dividing by `unit`. */
export function describeStats(value: Stats, unit: number, digits: number): string {
  const f = (n: number) => (n / unit).toFixed(digits);
  return `${f(value.median)} [${f(value.min)}–${f(value.max)}]`;
}
