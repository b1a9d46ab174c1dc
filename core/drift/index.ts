// core/drift: reference profiles and drift statistics, runtime-neutral (server, workers, edge agent).
export { chiSquare, chiSquareSf, type TestResult } from './chi-square';
export { categoricalDrift, featureDrift, numericDrift, profileDrift, type DriftOptions, type FeatureDrift } from './feature-drift';
export { finiteSorted, finiteValues } from './finite-sorted';
export { gammaP, gammaQ, logGamma } from './gamma';
export { jensenShannon } from './jensen-shannon';
export { kolmogn, kstwoSf } from './kolmogn';
export { ks2samp, ks2sampSorted, ksStatisticSorted, type KsMethod, type KsResult } from './ks';
export {
  categoryCounts,
  DEFAULT_SAMPLE_SEED,
  profileCategorical,
  profileColumns,
  profileFeature,
  profileNumeric,
  profileRows,
  QUANTILE_STEPS,
  SAMPLE_SIZE,
  type FeatureType,
  type FeatureValue,
  type ProfileOptions,
} from './profile';
export {
  categoricalFeatureProfileSchema,
  featureProfileSchema,
  numericFeatureProfileSchema,
  referenceProfileSchema,
  type CategoricalFeatureProfile,
  type FeatureProfile,
  type NumericFeatureProfile,
  type ReferenceProfile,
} from './profile-schema';
export { categoricalPsi, currentShares, psi, psiBand, psiFromShares, PSI_DRIFT, PSI_EPSILON, PSI_WARN, type PsiBand } from './psi';
export { binCounts, binIndex, quantileSorted } from './quantiles';
export { Reservoir, seededRandom } from './reservoir';
export { smirnov } from './smirnov';
export { wasserstein, wassersteinSorted } from './wasserstein';
