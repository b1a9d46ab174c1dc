import { chiSquare, type TestResult } from './chi-square';
import { finiteSorted } from './finite-sorted';
import { jensenShannon } from './jensen-shannon';
import { ks2sampSorted } from './ks';
import { categoryCounts, type FeatureValue } from './profile';
import type { CategoricalFeatureProfile, FeatureProfile, NumericFeatureProfile, ReferenceProfile } from './profile-schema';
import { categoricalPsi, currentShares, PSI_DRIFT, PSI_EPSILON, psiFromShares } from './psi';
import { wassersteinSorted } from './wasserstein';

/**
 * Drift of one feature's current window against its reference profile. The shape is the device API's
 * FeatureDrift (core/contracts/api/device.ts), so a report can be sent as is.
 *
 * The rule, per feature:
 * - numeric: drift when PSI ≥ 0.2 over the reference deciles, or when the two-sample KS test of the
 *   window against the reference sample (≤ 1000 values) rejects at p < 0.05. Wasserstein distance and
 *   the Jensen-Shannon distance over the decile bins are reported, not judged.
 * - categorical: drift when PSI ≥ 0.2 over the categories, or when the chi-square test of the window's
 *   category counts against the reference frequencies rejects at p < 0.05. Categories the reference
 *   never saw are expected with share PSI_EPSILON, so one unseen value counts as evidence of drift
 *   rather than making the statistic infinite. Jensen-Shannon over the categories is reported.
 * - no non-null values in the window: every statistic null, no drift claimed.
 * Every test is per feature at its own level: with many features, some will cross p < 0.05 by chance;
 * callers that want a family-wise level pass a smaller alpha (e.g. 0.05 / features).
 */
export interface FeatureDrift {
  name: string;
  type: 'numeric' | 'categorical';
  psi: number | null;
  ks: TestResult | null;
  wasserstein: number | null;
  jensenshannon: number | null;
  chi2: TestResult | null;
  drift: boolean;
}

export interface DriftOptions {
  /** PSI at or above this is drift (default 0.2). */
  psiThreshold?: number;
  /** KS and chi-square p-values below this are drift (default 0.05). */
  alpha?: number;
}

const DEFAULT_ALPHA = 0.05;
/** Reference rows up to which a p-value test (chi-square) judges a discrete feature (Evidently's rule). */
export const SMALL_REFERENCE = 1000;
/** Jensen-Shannon distance at or above which a discrete feature with a large reference drifts (Evidently's 0.1). */
export const JS_DRIFT = 0.1;

const nothing = (name: string, type: FeatureDrift['type']): FeatureDrift => ({
  name,
  type,
  psi: null,
  ks: null,
  wasserstein: null,
  jensenshannon: null,
  chi2: null,
  drift: false,
});

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

export function numericDrift(reference: NumericFeatureProfile, values: ArrayLike<FeatureValue>, opts: DriftOptions = {}): FeatureDrift {
  const current = finiteSorted(values as ArrayLike<number | null | undefined>);
  if (current.length === 0 || reference.count === 0) return nothing(reference.name, 'numeric');
  const shares = currentShares(reference, current);
  const psi = psiFromShares(reference.histogram, shares);
  // Profiles store their sample ascending; sorting again is cheap insurance for hand-made ones.
  const sample = Float64Array.from(reference.sample).sort();
  // KS assumes a continuous distribution; on a discrete feature the chi-square test of the value
  // counts against the reference shares is the test, and KS is not reported.
  const ks = sample.length && !reference.discrete ? ks2sampSorted(sample, current) : null;
  let chi2: TestResult | null = null;
  if (reference.discrete && reference.histogram.length >= 2) {
    const observed = Array.from(shares, (s) => s * current.length);
    const result = chiSquare(
      observed,
      reference.histogram.map((r) => Math.max(r, PSI_EPSILON)),
    );
    if (Number.isFinite(result.statistic)) chi2 = result;
  }
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const jensenshannon = finiteOrNull(jensenShannon(reference.histogram, shares));
  // Discrete features follow Evidently's rule for categories: chi-square up to 1,000 reference rows,
  // Jensen-Shannon distance ≥ 0.1 above (a p-value test on large samples flags negligible differences).
  const discreteDrift = reference.discrete
    ? reference.count <= SMALL_REFERENCE
      ? chi2 !== null && chi2.pvalue < alpha
      : jensenshannon !== null && jensenshannon >= JS_DRIFT
    : false;
  const drift = psi >= (opts.psiThreshold ?? PSI_DRIFT) || (ks !== null && ks.pvalue < alpha) || discreteDrift;
  return {
    name: reference.name,
    type: 'numeric',
    psi,
    ks: ks && { statistic: ks.statistic, pvalue: ks.pvalue },
    wasserstein: sample.length ? wassersteinSorted(sample, current) : null,
    jensenshannon,
    chi2,
    drift,
  };
}

export function categoricalDrift(
  reference: CategoricalFeatureProfile,
  values: ArrayLike<FeatureValue>,
  opts: DriftOptions = {},
): FeatureDrift {
  const { counts } = categoryCounts(values);
  if (counts.size === 0 || reference.count === 0) return nothing(reference.name, 'categorical');
  const categories = [...new Set([...Object.keys(reference.frequencies), ...counts.keys()])];
  const observed = categories.map((k) => counts.get(k) ?? 0);
  const referenceShares = categories.map((k) => reference.frequencies[k] ?? 0);
  const chi2 =
    categories.length >= 2
      ? chiSquare(
          observed,
          referenceShares.map((r) => Math.max(r, PSI_EPSILON)),
        )
      : null;
  const psi = categoricalPsi(reference, counts);
  const drift = psi >= (opts.psiThreshold ?? PSI_DRIFT) || (chi2 !== null && chi2.pvalue < (opts.alpha ?? DEFAULT_ALPHA));
  return {
    name: reference.name,
    type: 'categorical',
    psi,
    ks: null,
    wasserstein: null,
    jensenshannon: finiteOrNull(jensenShannon(referenceShares, observed)),
    chi2: chi2 && Number.isFinite(chi2.statistic) ? chi2 : null,
    drift,
  };
}

export function featureDrift(reference: FeatureProfile, values: ArrayLike<FeatureValue>, opts: DriftOptions = {}): FeatureDrift {
  return reference.type === 'numeric' ? numericDrift(reference, values, opts) : categoricalDrift(reference, values, opts);
}

/**
 * Drift of every profiled feature. Columns are given in profile order (an array) or by feature name;
 * a feature without a column gets no statistics.
 */
export function profileDrift(
  profile: ReferenceProfile,
  columns: ReadonlyArray<ArrayLike<FeatureValue>> | Readonly<Record<string, ArrayLike<FeatureValue>>>,
  opts: DriftOptions = {},
): FeatureDrift[] {
  return profile.features.map((feature, j) => {
    const values = Array.isArray(columns)
      ? (columns as ArrayLike<FeatureValue>[])[j]
      : (columns as Record<string, ArrayLike<FeatureValue>>)[feature.name];
    return featureDrift(feature, values ?? [], opts);
  });
}
