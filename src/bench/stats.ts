/** Small numeric helpers for benchmark figures. */

/** Median of a list (NaN when empty). @example median([3, 1, 2]) // 2 */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Bytes to MiB. @example mib(1048576) // 1 */
export const mib = (bytes: number): number => bytes / 1048576;

/**
 * Peak and current resident memory of this process in MiB (maxRSS is reported in KiB). The
 * kernel's high-water mark can lag the current RSS by a few pages, so the peak is at least the current.
 */
export function memoryNow(): { peakRssMiB: number; rssMiB: number } {
  const rssMiB = mib(process.memoryUsage.rss());
  return { peakRssMiB: Math.max(process.resourceUsage().maxRSS / 1024, rssMiB), rssMiB };
}
