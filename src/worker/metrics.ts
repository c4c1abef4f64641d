/**
 * Prometheus-style metrics without a dependency: counters, gauges read at scrape time, and
 * summaries (count, sum, p50/p95 of the last observations), written in the text format.
 */

type Labels = Record<string, string>;

const key = (name: string, labels: Labels = {}): string => {
  const parts = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
};

/** The q-quantile of sorted numbers. @example quantile([1, 2, 3, 4], 0.5) // 2 */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export class Metrics {
  private counters = new Map<string, number>();
  private summaries = new Map<string, { count: number; sum: number; recent: number[] }>();
  private gauges = new Map<string, () => Promise<Record<string, number>> | Record<string, number>>();

  /** Adds 1 (or `by`) to a counter. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    const k = key(name, labels);
    this.counters.set(k, (this.counters.get(k) ?? 0) + by);
  }

  /** Records one observation (e.g. seconds). */
  observe(name: string, value: number, labels: Labels = {}): void {
    const k = key(name, labels);
    const s = this.summaries.get(k) ?? { count: 0, sum: 0, recent: [] };
    s.count += 1;
    s.sum += value;
    s.recent.push(value);
    if (s.recent.length > 1000) s.recent.shift();
    this.summaries.set(k, s);
  }

  /** A gauge family read at scrape time: label value -> number (e.g. queue state -> count). */
  gauge(name: string, read: () => Promise<Record<string, number>> | Record<string, number>): void {
    this.gauges.set(name, read);
  }

  /** The text exposition format. */
  async text(): Promise<string> {
    const lines: string[] = [];
    for (const [k, v] of this.counters) lines.push(`${k} ${v}`);
    for (const [k, s] of this.summaries) {
      const sorted = [...s.recent].sort((a, b) => a - b);
      const brace = k.indexOf('{');
      const name = brace < 0 ? k : k.slice(0, brace);
      const inner = brace < 0 ? '' : k.slice(brace + 1, -1);
      const withQ = (q: string) => `${name}{${inner ? `${inner},` : ''}quantile="${q}"}`;
      lines.push(`${withQ('0.5')} ${quantile(sorted, 0.5)}`, `${withQ('0.95')} ${quantile(sorted, 0.95)}`);
      lines.push(`${name}_count${brace < 0 ? '' : k.slice(brace)} ${s.count}`, `${name}_sum${brace < 0 ? '' : k.slice(brace)} ${s.sum}`);
    }
    for (const [name, read] of this.gauges) {
      try {
        for (const [label, v] of Object.entries(await read())) lines.push(`${key(name, { state: label })} ${v}`);
      } catch {
        lines.push(`# ${name} unavailable`);
      }
    }
    return lines.join('\n') + '\n';
  }
}
