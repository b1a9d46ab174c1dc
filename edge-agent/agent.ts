import type { Server } from 'node:http';
import { desiredStateSchema, type DesiredState, type DriftReport, type EnrollResponse, type Manifest } from '../core/contracts/api/device';
import type { ReferenceProfile } from '../core/drift/profile';
import { DriftWindow } from './drift/drift-window';
import { Outbox } from './drift/outbox';
import type { AgentConfig } from './env';
import { loadRuntime, ModelSession } from './serve/model-session';
import { startPredictServer } from './serve/predict-server';
import { downloadModel } from './sync/download';
import { verifyManifest } from './sync/verify-manifest';

// The agent's loop: poll the desired state, bring a new model in beside the serving one, prove it on
// the manifest's golden input, then switch; keep serving the old one on any failure.

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
    this.log = (msg) => console.log(`${new Date().toISOString()} [agent ${credential.deviceId.slice(0, 8)}] ${msg}`);
  }

  async start(): Promise<{ port: number }> {
    this.backend = (await loadRuntime()).backend;
    this.log(`inference backend: ${this.backend}`);
    this.server = await startPredictServer(
      {
        current: () => (this.slot ? { session: this.slot.session, versionId: this.slot.versionId } : null),
        backend: () => this.backend,
        health: () => ({
          deviceId: this.credential.deviceId,
          modelVersionId: this.slot?.versionId ?? null,
          backend: this.backend,
          lastError: this.lastError,
          pendingReports: this.outbox.pending().length,
        }),
        onServed: (rows) => this.served(rows),
      },
      this.config.host,
      this.config.port,
    );
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    this.log(`serving predictions on http://${this.config.host}:${port}/predict`);
    void this.tick();
    return { port };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
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

  /** Returns true when the state is fully applied (or deliberately refused), so its ETag can be kept. */
  private async apply(state: DesiredState): Promise<boolean> {
    const deployment = state.deployment;
    if (!deployment) return true;
    let manifest: Manifest;
    try {
      manifest = verifyManifest(deployment.manifest, deployment.signature, this.credential.signingKey);
    } catch (error) {
      return this.refuse('manifest', (error as Error).message);
    }
    if (manifest.versionId === this.slot?.versionId || this.refused.has(manifest.versionId)) return true;
    this.log(`new model ${manifest.modelName} v${manifest.version} (${manifest.sha256.slice(0, 12)}…, ${manifest.size} bytes)`);
    let session: ModelSession;
    try {
      const path = await downloadModel({
        server: this.config.server,
        credential: this.credential.credential,
        dataDir: this.config.dataDir,
        sha256: manifest.sha256,
        size: manifest.size,
      });
      const width = manifest.sampleInput[0]?.length ?? Number(deployment.inputShape[1]);
      session = await ModelSession.load(path, manifest.versionId, width);
    } catch (error) {
      this.lastError = (error as Error).message;
      this.log(`could not bring in the new model, keeping the current one: ${this.lastError}`);
      await this.reportState('degraded');
      // Integrity failures are final for this version; network failures are retried next poll.
      if (/sha256|signature|refused/i.test(this.lastError)) this.refused.add(manifest.versionId);
      return false;
    }
    const worst = await this.healthCheck(session, manifest);
    if (!(worst <= HEALTH_TOLERANCE)) {
      await session.release();
      this.refused.add(manifest.versionId);
      return this.refuse(
        'health check',
        `the model's output differs from the manifest's expected output by ${worst} (tolerance ${HEALTH_TOLERANCE})`,
      );
    }
    const old = this.slot;
    this.slot = {
      session,
      versionId: manifest.versionId,
      manifest,
      profile: deployment.referenceProfile,
      featureNames: deployment.featureNames,
    };
    this.previousVersionId = old?.versionId ?? this.previousVersionId;
    this.window.reset();
    this.lastError = null;
    this.log(`now serving ${manifest.modelName} v${manifest.version}`);
    // Requests already running on the old session finish before it is released.
    if (old) setTimeout(() => void old.session.release(), 5000).unref();
    await this.reportState('ok');
    return true;
  }

  private async healthCheck(session: ModelSession, manifest: Manifest): Promise<number> {
    try {
      const got = await session.predict(manifest.sampleInput);
      return Math.max(...got.flatMap((row, i) => row.map((v, j) => Math.abs(v - manifest.sampleOutput[i]![j]!))));
    } catch {
      return Infinity;
    }
  }

  private async refuse(what: string, message: string): Promise<boolean> {
    this.lastError = `${what}: ${message}`;
    this.log(`refused the new model, keeping the current one: ${this.lastError}`);
    await this.reportState('degraded');
    return true;
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
      }),
    }).catch((error: unknown) => this.log(`state report failed (will resend with the next change): ${(error as Error).message}`));
  }

  private served(rows: number[][]) {
    this.window.add(rows);
    const slot = this.slot;
    if (!slot || !this.window.due()) return;
    if (!slot.profile) {
      this.log('no reference profile for this model version (log it with ferry.logModel(model, { trainingData })); drift is not computed');
      this.window.reset();
      return;
    }
    const { features, sampleCount, windowStart, windowEnd } = this.window.report(slot.profile, slot.featureNames);
    const report = this.outbox.put({
      modelVersionId: slot.versionId,
      windowStart: windowStart.toISOString(),
      windowEnd: windowEnd.toISOString(),
      sampleCount,
      features,
    });
    const drifting = features.filter((f) => f.drift).map((f) => f.name);
    this.log(
      `drift report ${report.idempotencyKey.slice(0, 8)} over ${sampleCount} rows: ${drifting.length ? `drift in ${drifting.join(', ')}` : 'no drift'}`,
    );
    void this.flushReports();
  }

  private async flushReports() {
    const sent = await this.outbox
      .flush(async (report: DriftReport) => {
        const res = await fetch(`${this.config.server}/api/device/drift-reports`, {
          method: 'POST',
          headers: { ...this.authHeaders(), 'content-type': 'application/json' },
          body: JSON.stringify(report),
        });
        if (!res.ok) throw new Error(`drift report refused (${res.status})`);
      })
      .catch((error: unknown) => {
        this.log(`drift reports kept for later: ${(error as Error).message}`);
        return 0;
      });
    if (sent) this.log(`delivered ${sent} drift report${sent === 1 ? '' : 's'}`);
  }
}
