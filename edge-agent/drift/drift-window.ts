import type { FeatureDrift } from '../../core/contracts/api/device';
import { profileDrift } from '../../core/drift/feature-drift';
import type { ReferenceProfile } from '../../core/drift/profile';

/** The last N rows the agent served, per feature, for drift against the version's reference profile. */
export class DriftWindow {
  private rows: number[][] = [];
  private outputs: number[][] = [];
  private since = 0;
  private startedAt = new Date();

  constructor(
    private readonly size: number,
    private readonly every: number,
  ) {}

  add(rows: number[][], outputs: number[][] = []): void {
    this.rows.push(...rows);
    this.outputs.push(...outputs);
    if (this.rows.length > this.size) this.rows.splice(0, this.rows.length - this.size);
    if (this.outputs.length > this.size) this.outputs.splice(0, this.outputs.length - this.size);
    this.since += rows.length;
  }

  /** True once `every` new rows arrived since the last report. */
  due(): boolean {
    return this.since >= this.every;
  }

  report(
    profile: ReferenceProfile,
    featureNames: string[] | null,
  ): { features: FeatureDrift[]; predictions: FeatureDrift[]; sampleCount: number; windowStart: Date; windowEnd: Date } {
    const windowStart = this.startedAt;
    const windowEnd = new Date();
    this.since = 0;
    this.startedAt = windowEnd;
    // PSI, KS, Wasserstein and Jensen–Shannon for numeric features; PSI, chi-square and JS for categorical.
    const columns = profile.features.map((_, j) => this.rows.map((r) => r[j]!));
    const features = profileDrift(profile, columns).map((f, j): FeatureDrift => ({ ...f, name: featureNames?.[j] ?? f.name }));
    // The model's outputs against the profile of its outputs on the training data, when the version has one.
    const reference = profile.predictions ?? [];
    const predictions =
      reference.length && this.outputs.length
        ? profileDrift(
            { v: 1, rows: profile.rows, features: reference },
            reference.map((_, j) => this.outputs.map((o) => o[j]!)),
          )
        : [];
    return { features, predictions, sampleCount: this.rows.length, windowStart, windowEnd };
  }

  reset(): void {
    this.rows = [];
    this.outputs = [];
    this.since = 0;
    this.startedAt = new Date();
  }
}
