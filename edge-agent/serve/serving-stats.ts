import type { PredictionStatsReport } from '../../core/contracts/api/device';

// Per-version serving statistics over a window, for A/B comparison on the server: volume, latency,
// a uniform sample of the first output, and the score of feedback labels posted back for predictions.

const SAMPLE = 200;
const REMEMBERED = 10_000;

interface VersionWindow {
  count: number;
  latencies: number[];
  outputSum: number;
  outputSeen: number;
  sample: number[];
  feedbackCount: number;
  feedbackSum: number;
  feedbackKind: 'accuracy' | 'mae' | null;
}

const empty = (): VersionWindow => ({
  count: 0,
  latencies: [],
  outputSum: 0,
  outputSeen: 0,
  sample: [],
  feedbackCount: 0,
  feedbackSum: 0,
  feedbackKind: null,
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export class ServingStats {
  private windows = new Map<string, VersionWindow>();
  private startedAt = new Date();
  /** predictionId → what was predicted, so a later label can be scored against the right version. */
  private recent = new Map<string, { versionId: string; output: number[] }>();

  constructor(private readonly random: () => number = Math.random) {}

  record(versionId: string, latencyMs: number, outputs: number[][], predictionIds: string[]): void {
    const w = this.windows.get(versionId) ?? empty();
    this.windows.set(versionId, w);
    w.count += outputs.length;
    // One latency per request; a batch's latency is the request's.
    if (w.latencies.length < 50_000) w.latencies.push(latencyMs);
    outputs.forEach((output, i) => {
      const first = output[0];
      if (first !== undefined && Number.isFinite(first)) {
        w.outputSum += first;
        w.outputSeen++;
        if (w.sample.length < SAMPLE) w.sample.push(first);
        else {
          const j = Math.floor(this.random() * w.outputSeen);
          if (j < SAMPLE) w.sample[j] = first;
        }
      }
      this.recent.set(predictionIds[i]!, { versionId, output });
    });
    while (this.recent.size > REMEMBERED) this.recent.delete(this.recent.keys().next().value!);
  }

  /**
   * Scores a label against a remembered prediction: a class index for classifiers (accuracy of argmax),
   * a number for single-output models (absolute error). Returns false when the prediction is unknown.
   */
  feedback(predictionId: string, label: number): boolean {
    const seen = this.recent.get(predictionId);
    if (!seen) return false;
    this.recent.delete(predictionId);
    const w = this.windows.get(seen.versionId) ?? empty();
    this.windows.set(seen.versionId, w);
    if (seen.output.length > 1) {
      const argmax = seen.output.indexOf(Math.max(...seen.output));
      w.feedbackKind = 'accuracy';
      w.feedbackSum += argmax === label ? 1 : 0;
    } else {
      w.feedbackKind = 'mae';
      w.feedbackSum += Math.abs((seen.output[0] ?? NaN) - label);
    }
    w.feedbackCount++;
    return true;
  }

  /** The window's statistics per version, and a fresh window. */
  take(): Array<Omit<PredictionStatsReport, 'idempotencyKey'>> {
    const windowStart = this.startedAt.toISOString();
    const windowEnd = new Date().toISOString();
    const reports = [...this.windows.entries()]
      .filter(([, w]) => w.count > 0 || w.feedbackCount > 0)
      .map(([modelVersionId, w]) => {
        const sorted = [...w.latencies].sort((a, b) => a - b);
        return {
          modelVersionId,
          windowStart,
          windowEnd,
          count: w.count,
          latencyP50Ms: percentile(sorted, 0.5),
          latencyP99Ms: percentile(sorted, 0.99),
          outputMean: w.outputSeen ? w.outputSum / w.outputSeen : null,
          outputSample: w.sample,
          feedbackCount: w.feedbackCount,
          feedbackScore: w.feedbackCount ? w.feedbackSum / w.feedbackCount : null,
          feedbackKind: w.feedbackKind,
        };
      });
    this.windows = new Map();
    this.startedAt = new Date();
    return reports;
  }
}
