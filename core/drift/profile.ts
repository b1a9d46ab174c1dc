import { z } from 'zod';

// The reference profile of a model's training inputs: what drift is measured against on the device.

export const numericFeatureProfileSchema = z.object({
  name: z.string(),
  type: z.literal('numeric'),
  count: z.number().int().nonnegative(),
  nulls: z.number().int().nonnegative(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  /** Cut points at 0, 0.1, …, 1 of the reference: PSI bins are the intervals between them. */
  quantiles: z.array(z.number()),
  /** Share of reference values in each quantile bin (length = quantiles.length - 1). */
  histogram: z.array(z.number()),
  /** A bounded sample of reference values, for KS and Wasserstein on the device. */
  sample: z.array(z.number()),
});

export const categoricalFeatureProfileSchema = z.object({
  name: z.string(),
  type: z.literal('categorical'),
  count: z.number().int().nonnegative(),
  nulls: z.number().int().nonnegative(),
  frequencies: z.record(z.string(), z.number()),
});

export const featureProfileSchema = z.discriminatedUnion('type', [numericFeatureProfileSchema, categoricalFeatureProfileSchema]);
export const referenceProfileSchema = z.object({ v: z.literal(1), rows: z.number().int(), features: z.array(featureProfileSchema) });

export type NumericFeatureProfile = z.infer<typeof numericFeatureProfileSchema>;
export type FeatureProfile = z.infer<typeof featureProfileSchema>;
export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;

export const QUANTILE_STEPS = 10;
export const SAMPLE_SIZE = 1000;

/** Linear-interpolated quantile of sorted values (numpy's default method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Index of the bin a value falls in, for bins cut at the inner quantiles (outer edges are open). */
export function binIndex(cuts: ArrayLike<number>, value: number): number {
  // cuts[0] and cuts[last] are min and max; values beyond them land in the first or last bin.
  let lo = 1;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value < cuts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

export function profileNumeric(name: string, values: ArrayLike<number | null | undefined>): NumericFeatureProfile {
  const clean: number[] = [];
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) clean.push(v);
    else nulls++;
  }
  const sorted = Float64Array.from(clean).sort();
  const n = sorted.length;
  const mean = n ? clean.reduce((a, b) => a + b, 0) / n : 0;
  const std = n > 1 ? Math.sqrt(clean.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : 0;
  const quantiles = Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => (n ? quantileSorted(sorted, i / QUANTILE_STEPS) : 0));
  const histogram = new Array<number>(QUANTILE_STEPS).fill(0);
  for (const v of sorted) histogram[binIndex(quantiles, v)]!++;
  return {
    name,
    type: 'numeric',
    count: n,
    nulls,
    mean,
    std,
    min: n ? sorted[0]! : 0,
    max: n ? sorted[n - 1]! : 0,
    quantiles,
    histogram: histogram.map((c) => (n ? c / n : 0)),
    sample: evenSample(sorted, SAMPLE_SIZE),
  };
}

/** Every k-th value of the sorted data: keeps the distribution's shape, deterministic. */
function evenSample(sorted: Float64Array, size: number): number[] {
  if (sorted.length <= size) return Array.from(sorted);
  return Array.from({ length: size }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / size)]!);
}

/** Profiles rows of numeric features (the model's input matrix). */
export function profileRows(rows: ArrayLike<ArrayLike<number>>, featureNames?: string[]): ReferenceProfile {
  const width = rows.length ? rows[0]!.length : (featureNames?.length ?? 0);
  const features = Array.from({ length: width }, (_, j) => {
    const column = Array.from({ length: rows.length }, (_, i) => rows[i]![j]);
    return profileNumeric(featureNames?.[j] ?? `f${j}`, column);
  });
  return { v: 1, rows: rows.length, features };
}
