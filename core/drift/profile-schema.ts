import { z } from 'zod';

// The reference profile of a model's training inputs: what drift is measured against on the device.
// Stored with a model version and sent to devices, hence a schema. The only file of core/drift that
// needs zod; the statistics import its types only.

export const numericFeatureProfileSchema = z.object({
  name: z.string(),
  type: z.literal('numeric'),
  count: z.number().int().nonnegative(),
  nulls: z.number().int().nonnegative(),
  mean: z.number(),
  /** Population standard deviation (ddof = 0, numpy's default). */
  std: z.number(),
  min: z.number(),
  max: z.number(),
  /** Cut points at 0, 0.1, …, 1 of the reference (numpy's linear interpolation): PSI bins lie between them. */
  quantiles: z.array(z.number()),
  /**
   * Bin edges of the PSI histogram when they differ from `quantiles` (absent in older profiles, which bin
   * on `quantiles`): tie-aware deciles (repeats merged, each inner edge halfway between the reference
   * values either side, so no reference value sits on an edge) or, for a discrete feature, edges halfway
   * between its distinct values.
   */
  edges: z.array(z.number()).optional(),
  /** Share of reference values in each bin of `edges ?? quantiles` (length = that − 1). */
  histogram: z.array(z.number()),
  /** A seeded uniform random sample (reservoir) of at most 1000 reference values, ascending, for KS and Wasserstein. */
  sample: z.array(z.number()),
  /**
   * Set when the reference is discrete (integer-valued with at most MAX_DISCRETE_VALUES distinct values):
   * then `edges` lie halfway between distinct values and `histogram` holds each value's share,
   * so float noise cannot move a value across a bin edge. Absent in older (v1) profiles: decile bins.
   */
  discrete: z.boolean().optional(),
});

export const categoricalFeatureProfileSchema = z.object({
  name: z.string(),
  type: z.literal('categorical'),
  count: z.number().int().nonnegative(),
  nulls: z.number().int().nonnegative(),
  /** Share of the non-null reference values in each category (sums to 1). */
  frequencies: z.record(z.string(), z.number()),
});

export const featureProfileSchema = z.discriminatedUnion('type', [numericFeatureProfileSchema, categoricalFeatureProfileSchema]);
export const referenceProfileSchema = z.object({
  v: z.literal(1),
  rows: z.number().int(),
  features: z.array(featureProfileSchema),
  /** Profile of the model's outputs on its training data (one per output column), for prediction drift. */
  predictions: z.array(featureProfileSchema).optional(),
});

export type NumericFeatureProfile = z.infer<typeof numericFeatureProfileSchema>;
export type CategoricalFeatureProfile = z.infer<typeof categoricalFeatureProfileSchema>;
export type FeatureProfile = z.infer<typeof featureProfileSchema>;
export type ReferenceProfile = z.infer<typeof referenceProfileSchema>;
