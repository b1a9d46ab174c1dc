// Benchmarks print one table: each row a measurement for Ferry beside the reference, with the ratio.
export interface BenchRow {
  metric: string;
  unit: string;
  ferry: number | null;
  reference: number | null;
  referenceName: string;
  /** 'lower' when smaller is better (latency, memory), 'higher' for throughput. */
  better: 'lower' | 'higher';
  note?: string;
}

function fmt(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1000) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

/** Ratio as "how many times better Ferry is" (>1 is better), whatever the direction of the metric. */
export function advantage(row: BenchRow): number | null {
  if (row.ferry === null || row.reference === null || row.ferry === 0 || row.reference === 0) return null;
  return row.better === 'lower' ? row.reference / row.ferry : row.ferry / row.reference;
}

export function printTable(title: string, rows: BenchRow[]): void {
  const header = ['metric', 'unit', 'Ferry', 'reference', 'value', 'Ferry advantage ×', 'note'];
  const body = rows.map((r) => [r.metric, r.unit, fmt(r.ferry), r.referenceName, fmt(r.reference), fmt(advantage(r)), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const b of body) console.log(line(b));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function summarize(samples: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}
