import type { FeatureDrift } from '../../core/contracts/api/device';
import { profileDrift } from '../../core/drift/feature-drift';
import type { ReferenceProfile } from '../../core/drift/profile';

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
    // PSI, KS, Wasserstein and Jensen–Shannon for numeric features; PSI, chi-square and JS for categorical.
    const columns = profile.features.map((_, j) => this.rows.map((r) => r[j]!));
    const features = profileDrift(profile, columns).map((f, j): FeatureDrift => ({ ...f, name: featureNames?.[j] ?? f.name }));
    return { features, sampleCount: this.rows.length, windowStart, windowEnd };
  }

  reset(): void {
    this.rows = [];
    this.since = 0;
    this.startedAt = new Date();
  }
}
