import type { FeatureDrift } from '../../core/contracts/api/device';
import type { ReferenceProfile } from '../../core/drift/profile';
import { psi, PSI_DRIFT } from '../../core/drift/psi';

/** The last N rows the agent served, per feature, for drift against the version's reference profile. */
export class DriftWindow {
  private rows: number[][] = [];
  private since = 0;
  private startedAt = new Date();

  constructor(
    private readonly size: number,
    private readonly every: number,
  ) {}

  add(rows: number[][]): void {
    this.rows.push(...rows);
    if (this.rows.length > this.size) this.rows.splice(0, this.rows.length - this.size);
    this.since += rows.length;
  }

  /** True once `every` new rows arrived since the last report. */
  due(): boolean {
    return this.since >= this.every;
  }

  report(
    profile: ReferenceProfile,
    featureNames: string[] | null,
  ): { features: FeatureDrift[]; sampleCount: number; windowStart: Date; windowEnd: Date } {
    const windowStart = this.startedAt;
    const windowEnd = new Date();
    this.since = 0;
    this.startedAt = windowEnd;
    const features = profile.features.map((feature, j): FeatureDrift => {
      const name = featureNames?.[j] ?? feature.name;
      if (feature.type !== 'numeric')
        return { name, type: 'categorical', psi: null, ks: null, wasserstein: null, jensenshannon: null, chi2: null, drift: false };
      const value = psi(
        feature,
        this.rows.map((r) => r[j]!),
      );
      return {
        name,
        type: 'numeric',
        psi: Number.isFinite(value) ? value : null,
        ks: null,
        wasserstein: null,
        jensenshannon: null,
        chi2: null,
        drift: value >= PSI_DRIFT,
      };
    });
    return { features, sampleCount: this.rows.length, windowStart, windowEnd };
  }

  reset(): void {
    this.rows = [];
    this.since = 0;
    this.startedAt = new Date();
  }
}
