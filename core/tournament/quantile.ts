/** Linear-interpolated quantile `q` (0–1) of values sorted ascending; 0 for an empty list. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const low = sorted[lo] ?? 0;
  return low + ((sorted[hi] ?? low) - low) * (pos - lo);
}
