import type { Server } from 'node:http';
import {
  desiredStateSchema,
  type DesiredState,
  type EnrollResponse,
  type Manifest,
  type PredictionStatsReport,
  type SignedModel,
} from '../core/contracts/api/device';
import { pickVariant } from '../core/fleet/rollout-policy';
import type { ReferenceProfile } from '../core/drift/profile';
import { DriftWindow } from './drift/drift-window';
import { Outbox } from './drift/outbox';
import type { AgentConfig } from './env';
import { loadRuntime, ModelSession } from './serve/model-session';
import { startPredictServer, type Served } from './serve/predict-server';
import { ServingStats } from './serve/serving-stats';
import { downloadModel, IntegrityError } from './sync/download';
import { verifyManifest } from './sync/verify-manifest';

// The agent's loop: poll the desired state, bring a new model in beside the serving one, prove it on
// the manifest's golden input, then switch; keep serving the old one on any failure. Under an A/B
// deployment a second slot (the variant) takes its share of the requests.

interface Slot {
  session: ModelSession;
  versionId: string;
  manifest: Manifest;
  profile: ReferenceProfile | null;
  featureNames: string[] | null;
}

export const HEALTH_TOLERANCE = 1e-4;

export class Agent {
  private slot: Slot | null = null;
  private variant: (Slot & { percent: number }) | null = null;
  private failedVersionId: string | null = null;
  private readonly stats = new ServingStats();
  private readonly statsOutbox: Outbox<PredictionStatsReport>;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private previousVersionId: string | null = null;
  private etag: string | null = null;
  private refused = new Set<string>();
  private lastError: string | null = null;
  private backend = 'loading';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private server: Server | null = null;
  private stopped = false;
  private readonly window: DriftWindow;
  private readonly outbox: Outbox;
  readonly log: (msg: string) => void;

  constructor(
    private readonly config: AgentConfig,
    private readonly credential: EnrollResponse,
  ) {
    this.window = new DriftWindow(config.driftWindow, config.driftEvery);
    this.outbox = new Outbox(config.dataDir);
    this.statsOutbox = new Outbox<PredictionStatsReport>(config.dataDir, 'outbox-stats');
    this.log = (msg) => console.log(`${new Date().toISOString()} [agent ${credential.deviceId.slice(0, 8)}] ${msg}`);
  }

  async start(): Promise<{ port: number }> {
    this.backend = (await loadRuntime()).backend;
    this.log(`inference backend: ${this.backend}`);
    this.server = await startPredictServer(
      {
        choose: (key) => this.choose(key),
        backend: () => this.backend,
        health: () => ({
          deviceId: this.credential.deviceId,
          modelVersionId: this.slot?.versionId ?? null,
          variant: this.variant ? { modelVersionId: this.variant.versionId, percent: this.variant.percent } : null,
          backend: this.backend,
          lastError: this.lastError,
          pendingReports: this.outbox.pending().length + this.statsOutbox.pending().length,
        }),
        onServed: (served) => this.served(served),
        onFeedback: (id, label) => this.stats.feedback(id, label),
      },
      this.config.host,
      this.config.port,
    );
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    this.log(`serving predictions on http://${this.config.host}:${port}/predict`);
    void this.tick();
    this.statsTimer = setInterval(() => this.closeStatsWindow(), this.config.statsEveryMs);
    this.statsTimer.unref();
    return { port };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.statsTimer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async tick() {
    try {
      await this.sync();
      await this.flushReports();
    } catch (error) {
      this.log(`sync failed: ${(error as Error).message}`);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.config.pollMs);
  }

  private authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.credential.credential}` };
  }

  private async sync() {
    const res = await fetch(`${this.config.server}/api/device/desired-state`, {
      headers: { ...this.authHeaders(), ...(this.etag ? { 'if-none-match': this.etag } : {}) },
    });
    if (res.status === 304) return;
    if (res.status === 401 || res.status === 403)
      throw new Error(`the server refused this device's credential (${res.status}); was it revoked?`);
    if (!res.ok) throw new Error(`desired state: HTTP ${res.status}`);
    const state = desiredStateSchema.parse(await res.json());
    const etag = res.headers.get('etag');
    if (await this.apply(state)) this.etag = etag;
  }

  private choose(key: string): { session: ModelSession; versionId: string } | null {
    const v = this.variant;
    if (v && pickVariant(v.percent, key)) return { session: v.session, versionId: v.versionId };
    return this.slot ? { session: this.slot.session, versionId: this.slot.versionId } : null;
  }

  /** Returns true when the state is fully applied (or deliberately refused), so its ETag can be kept. */
  private async apply(state: DesiredState): Promise<boolean> {
    if (!state.deployment) return true;
    const primary = await this.bringIn(state.deployment, this.slot);
    if (primary === 'retry') return false;
    if (primary !== 'refused' && primary !== 'unchanged') this.switchPrimary(primary);
    const variantDone = await this.applyVariant(state.variant);
    if (primary !== 'unchanged' || variantDone !== 'unchanged') await this.reportState(this.lastError ? 'degraded' : 'ok');
    return variantDone !== 'retry';
  }

  private async applyVariant(desired: DesiredState['variant']): Promise<'unchanged' | 'changed' | 'retry'> {
    if (!desired) {
      if (!this.variant) return 'unchanged';
      this.release(this.variant);
      this.variant = null;
      this.log('A/B split ended; the primary model takes all traffic');
      return 'changed';
    }
    const got = await this.bringIn(desired, this.variant);
    if (got === 'retry') return 'retry';
    if (got === 'refused') return 'changed';
    if (got === 'unchanged') {
      if (this.variant && this.variant.percent !== desired.percent) {
        this.variant = { ...this.variant, percent: desired.percent };
        return 'changed';
      }
      return 'unchanged';
    }
    const old = this.variant;
    this.variant = { ...got, percent: desired.percent };
    if (old) this.release(old);
    this.log(`A/B: ${got.manifest.modelName} v${got.manifest.version} takes ${desired.percent} % of predictions`);
    return 'changed';
  }

  /**
   * Verifies, downloads and health-checks a model beside the one serving. 'unchanged' when it already
   * serves, 'refused' when it must never be tried again (bad signature, digest or health), 'retry' for
   * failures worth another poll (network).
   */
  private async bringIn(desired: SignedModel, current: Slot | null): Promise<Slot | 'unchanged' | 'refused' | 'retry'> {
    let manifest: Manifest;
    try {
      manifest = verifyManifest(desired.manifest, desired.signature, this.credential.signingKey);
    } catch (error) {
      await this.refuse('manifest', (error as Error).message, null);
      // Not kept as applied: a forged answer must not be cached under the real state's ETag.
      return 'retry';
    }
    if (manifest.versionId === current?.versionId || manifest.versionId === this.slot?.versionId) return 'unchanged';
    if (this.refused.has(manifest.versionId)) return 'refused';
    this.log(`new model ${manifest.modelName} v${manifest.version} (${manifest.sha256.slice(0, 12)}…, ${manifest.size} bytes)`);
    let path: string;
    try {
      path = await downloadModel({
        server: this.config.server,
        credential: this.credential.credential,
        dataDir: this.config.dataDir,
        sha256: manifest.sha256,
        size: manifest.size,
        onProgress: (done, total) => this.progress(manifest, done, total),
      });
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof IntegrityError) {
        this.refused.add(manifest.versionId);
        await this.refuse('download', message, manifest.versionId);
        return 'refused';
      }
      // Network failures: the partial file stays and the next poll resumes it with a Range request.
      this.lastError = `download interrupted: ${message}`;
      this.log(`could not finish the download yet, keeping the current model: ${message}`);
      await this.reportState('degraded');
      return 'retry';
    }
    let session: ModelSession;
    try {
      const first = manifest.sampleInput[0];
      session = await ModelSession.load(path, manifest.versionId, desired.inputShape, Array.isArray(first) ? first.length : undefined);
    } catch (error) {
      this.refused.add(manifest.versionId);
      await this.refuse('load', (error as Error).message, manifest.versionId);
      return 'refused';
    }
    const worst = await this.healthCheck(session, manifest);
    if (!(worst <= HEALTH_TOLERANCE)) {
      await session.release();
      this.refused.add(manifest.versionId);
      await this.refuse(
        'health check',
        `${manifest.modelName} v${manifest.version}: the output differs from the manifest's expected output by ${worst} (tolerance ${HEALTH_TOLERANCE})`,
        manifest.versionId,
      );
      return 'refused';
    }
    return { session, versionId: manifest.versionId, manifest, profile: desired.referenceProfile, featureNames: desired.featureNames };
  }

  private lastProgress = 0;
  /** Logs download progress at most every 10 %, so large models show they are moving. */
  private progress(manifest: Manifest, done: number, total: number) {
    const step = Math.floor((done / total) * 10);
    if (step === this.lastProgress || total < 1_000_000) return;
    this.lastProgress = step;
    this.log(`downloading ${manifest.modelName} v${manifest.version}: ${Math.round((done / total) * 100)} % of ${total} bytes`);
  }

  private switchPrimary(next: Slot) {
    const old = this.slot;
    this.slot = next;
    this.previousVersionId = old?.versionId ?? this.previousVersionId;
    this.window.reset();
    this.lastError = null;
    this.log(`now serving ${next.manifest.modelName} v${next.manifest.version}`);
    if (old && old.versionId !== this.variant?.versionId) this.release(old);
  }

  /** Requests already running on an old session finish before it is released. */
  private release(slot: Slot) {
    setTimeout(() => void slot.session.release(), 5000).unref();
  }

  private async healthCheck(session: ModelSession, manifest: Manifest): Promise<number> {
    try {
      const got = await session.predict(manifest.sampleInput);
      return Math.max(...got.flatMap((row, i) => row.map((v, j) => Math.abs(v - manifest.sampleOutput[i]![j]!))));
    } catch {
      return Infinity;
    }
  }

  private async refuse(what: string, message: string, versionId: string | null): Promise<void> {
    this.lastError = `${what}: ${message}`;
    if (versionId) this.failedVersionId = versionId;
    this.log(`refused the new model, keeping the current one: ${this.lastError}`);
    await this.reportState('degraded');
  }

  private async reportState(health: 'ok' | 'degraded') {
    await fetch(`${this.config.server}/api/device/state`, {
      method: 'POST',
      headers: { ...this.authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({
        currentVersionId: this.slot?.versionId ?? null,
        previousVersionId: this.previousVersionId,
        health,
        lastError: this.lastError,
        backend: this.backend,
        failedVersionId: this.failedVersionId,
        variantVersionId: this.variant?.versionId ?? null,
      }),
    }).catch((error: unknown) => this.log(`state report failed (will resend with the next change): ${(error as Error).message}`));
  }

  private served(served: Served) {
    this.stats.record(served.versionId, served.latencyMs, served.outputs, served.predictionIds);
    const slot = this.slot;
    // Drift is measured on the primary model's traffic, against its own reference.
    if (!slot || served.versionId !== slot.versionId) return;
    this.window.add(served.rows, served.outputs);
    if (!this.window.due()) return;
    if (!slot.profile) {
      this.log('no reference profile for this model version (log it with ferry.logModel(model, { trainingData })); drift is not computed');
      this.window.reset();
      return;
    }
    const { features, predictions, sampleCount, windowStart, windowEnd } = this.window.report(slot.profile, slot.featureNames);
    const report = this.outbox.put({
      modelVersionId: slot.versionId,
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      sampleCount,
      features,
      predictions,
    });
    const drifting = [...features, ...predictions.map((p) => ({ ...p, name: `prediction:${p.name}` }))]
      .filter((f) => f.drift)
      .map((f) => f.name);
    this.log(
      `drift report ${report.idempotencyKey.slice(0, 8)} over ${sampleCount} rows: ${drifting.length ? `drift in ${drifting.join(', ')}` : 'no drift'}`,
    );
    void this.flushReports();
  }

  /** Closes the serving-statistics window into the disk queue, delivered like drift reports. */
  closeStatsWindow() {
    for (const stats of this.stats.take()) this.statsOutbox.put(stats);
    void this.flushReports();
  }

  private async flushReports() {
    const post = (path: string) => async (body: unknown) => {
      const res = await fetch(`${this.config.server}${path}`, {
        method: 'POST',
        headers: { ...this.authHeaders(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path} refused (${res.status})`);
    };
    const keep = (what: string) => (error: unknown) => {
      this.log(`${what} kept for later: ${(error as Error).message}`);
      return 0;
    };
    const sent = await this.outbox.flush(post('/api/device/drift-reports')).catch(keep('drift reports'));
    const stats = await this.statsOutbox.flush(post('/api/device/prediction-stats')).catch(keep('serving statistics'));
    if (sent) this.log(`delivered ${sent} drift report${sent === 1 ? '' : 's'}`);
    if (stats) this.log(`delivered ${stats} serving statistics window${stats === 1 ? '' : 's'}`);
  }
}
