import { finiteValues } from './finite-sorted';
import {
  categoricalFeatureProfileSchema,
  featureProfileSchema,
  numericFeatureProfileSchema,
  referenceProfileSchema,
  type CategoricalFeatureProfile,
  type FeatureProfile,
  type NumericFeatureProfile,
  type ReferenceProfile,
} from './profile-schema';
import { binCounts, binIndex, quantileSorted } from './quantiles';
import { Reservoir } from './reservoir';

// Building reference profiles from training data. The schema and types live in profile-schema.ts and
// are re-exported here, where the API routes and device contracts already import them from.
export { categoricalFeatureProfileSchema, featureProfileSchema, numericFeatureProfileSchema, referenceProfileSchema };
export type { CategoricalFeatureProfile, FeatureProfile, NumericFeatureProfile, ReferenceProfile };
export { binIndex, quantileSorted };

/** Deciles: 11 cut points at 0, 0.1, …, 1. */
export const QUANTILE_STEPS = 10;
export const SAMPLE_SIZE = 1000;
export const DEFAULT_SAMPLE_SEED = 0x5eed;
/** Integer-valued features with at most this many distinct values are profiled by value counts. */
export const MAX_DISCRETE_VALUES = 20;

/** Distinct values of ascending `sorted` when all are integers and there are at most `max`; otherwise null. */
function discreteValues(sorted: Float64Array, max: number): number[] | null {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (!Number.isInteger(v)) return null;
    if (distinct.length === 0 || distinct[distinct.length - 1] !== v) {
      distinct.push(v);
      if (distinct.length > max) return null;
    }
  }
  return distinct.length ? distinct : null;
}

/**
 * Tie-aware cut points: repeated quantiles (a value holding more than a decile) are merged, and every
 * inner cut is moved halfway between the reference values either side of it, so no reference value
 * sits on an edge and float noise cannot move it across one.
 */
function tieAwareCuts(sorted: Float64Array, quantiles: number[]): number[] {
  const n = sorted.length;
  const cuts: number[] = [quantiles[0]!];
  for (let i = 1; i < quantiles.length - 1; i++) {
    const q = quantiles[i]!;
    // Largest value below q and smallest value at or above q, found by binary search.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < q) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0 || lo === n) continue;
    const edge = (sorted[lo - 1]! + sorted[lo]!) / 2;
    if (edge > cuts[cuts.length - 1]!) cuts.push(edge);
  }
  const last = quantiles[quantiles.length - 1]!;
  if (last > cuts[cuts.length - 1]! || cuts.length === 1) cuts.push(last);
  return cuts;
}

export type FeatureValue = number | string | boolean | null | undefined;
export type FeatureType = 'numeric' | 'categorical';

export interface ProfileOptions {
  /** Reservoir size for KS and Wasserstein against the reference (default 1000). */
  sampleSize?: number;
  /** Seed of the reservoir, so a profile is reproducible (default fixed). */
  seed?: number;
}

/** Two-pass mean and population variance: the textbook one-pass formula cancels for large offsets. */
function meanStd(values: Float64Array): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0 };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  return { mean, std: Math.sqrt(squares / n) };
}

export function profileNumeric(name: string, values: ArrayLike<FeatureValue>, opts: ProfileOptions = {}): NumericFeatureProfile {
  const finite = finiteValues(values as ArrayLike<number | null | undefined>);
  const n = finite.length;
  const { mean, std } = meanStd(finite);
  // The reservoir samples positions uniformly, so drawing from the sorted copy is as random as from the original order.
  const sorted = finite.sort();
  const reservoir = new Reservoir(opts.sampleSize ?? SAMPLE_SIZE, opts.seed ?? DEFAULT_SAMPLE_SEED);
  reservoir.offerAll(sorted);
  const deciles = Array.from({ length: QUANTILE_STEPS + 1 }, (_, i) => (n ? quantileSorted(sorted, i / QUANTILE_STEPS) : 0));
  const distinct = discreteValues(sorted, MAX_DISCRETE_VALUES);
  // Discrete: one bin per distinct value, edges halfway between them (outer edges ±0.5).
  const edges = distinct
    ? [distinct[0]! - 0.5, ...distinct.slice(1).map((v, i) => (distinct[i]! + v) / 2), distinct[distinct.length - 1]! + 0.5]
    : n
      ? tieAwareCuts(sorted, deciles)
      : deciles;
  const counts = binCounts(edges, sorted);
  return {
    name,
    type: 'numeric',
    count: n,
    nulls: values.length - n,
    mean,
    std,
    min: n ? sorted[0]! : 0,
    max: n ? sorted[n - 1]! : 0,
    quantiles: deciles,
    edges,
    histogram: Array.from(counts, (c) => (n ? c / n : 0)),
    sample: Array.from(reservoir.sorted()),
    ...(distinct ? { discrete: true } : {}),
  };
}

/** Null, undefined and '' are missing; everything else is a category named by its string form. */
export const categoryOf = (v: FeatureValue): string | null => (v === null || v === undefined || v === '' ? null : String(v));

export function categoryCounts(values: ArrayLike<FeatureValue>): { counts: Map<string, number>; nulls: number } {
  const counts = new Map<string, number>();
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const c = categoryOf(values[i]);
    if (c === null) nulls++;
    else counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return { counts, nulls };
}

export function profileCategorical(name: string, values: ArrayLike<FeatureValue>): CategoricalFeatureProfile {
  const { counts, nulls } = categoryCounts(values);
  const count = values.length - nulls;
  const frequencies: Record<string, number> = {};
  for (const [category, c] of counts) frequencies[category] = c / count;
  return { name, type: 'categorical', count, nulls, frequencies };
}

/** A column is categorical when told so, or when any of its values is a string or boolean. */
function inferType(values: ArrayLike<FeatureValue>): FeatureType {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' || typeof v === 'boolean') return 'categorical';
  }
  return 'numeric';
}

export function profileFeature(
  name: string,
  values: ArrayLike<FeatureValue>,
  type: FeatureType = inferType(values),
  opts: ProfileOptions = {},
): FeatureProfile {
  return type === 'numeric' ? profileNumeric(name, values, opts) : profileCategorical(name, values);
}

/** Profiles named columns (column-major data, the cheap layout for a million rows). */
export function profileColumns(
  columns: Record<string, ArrayLike<FeatureValue>>,
  opts: ProfileOptions & { types?: Record<string, FeatureType> } = {},
): ReferenceProfile {
  const names = Object.keys(columns);
  const rows = names.length ? columns[names[0]!]!.length : 0;
  for (const name of names)
    if (columns[name]!.length !== rows)
      throw new Error(`profileColumns: column ${name} has ${columns[name]!.length} values, expected ${rows}`);
  const features = names.map((name) => profileFeature(name, columns[name]!, opts.types?.[name], opts));
  return { v: 1, rows, features };
}

/** Profiles rows of features (the model's input matrix); features are named f0, f1, … unless named. */
export function profileRows(
  rows: ArrayLike<ArrayLike<FeatureValue>>,
  featureNames?: string[],
  opts: ProfileOptions & { types?: Record<string, FeatureType> } = {},
): ReferenceProfile {
  const width = rows.length ? rows[0]!.length : (featureNames?.length ?? 0);
  const columns: Record<string, FeatureValue[]> = {};
  for (let j = 0; j < width; j++) {
    const column = new Array<FeatureValue>(rows.length);
    for (let i = 0; i < rows.length; i++) column[i] = rows[i]![j];
    columns[featureNames?.[j] ?? `f${j}`] = column;
  }
  return profileColumns(columns, opts);
}
