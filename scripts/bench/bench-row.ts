/** One line of the `npm run bench` table: ours beside Debian's NUT, measured in the same run. */
export interface BenchRow {
  name: string;
  unit: string;
  ours: number;
  theirs: number;
  /** "lower" when a smaller figure is better (times, memory). */
  better: "lower" | "higher";
  note?: string;
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
