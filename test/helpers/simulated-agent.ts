import { desiredStateSchema, enrollResponseSchema, type EnrollResponse } from '../../core/contracts/api/device';
import { verifyManifest } from '../../edge-agent/sync/verify-manifest';

// A device without a model runtime: enrolls, polls its desired state with ETags, verifies the signed
// manifest like the real agent, and reports state. `fails` makes it refuse every new version, as a
// device whose health check fails would. Used where hundreds of devices are needed.

export class SimulatedAgent {
  current: string | null = null;
  previous: string | null = null;
  failed: string | null = null;
  variant: string | null = null;
  polls = 0;
  notModified = 0;
  private etag: string | null = null;

  private constructor(
    private readonly server: string,
    readonly credential: EnrollResponse,
    public fails = false,
  ) {}

  static async enroll(server: string, token: string, fails = false): Promise<SimulatedAgent> {
    const res = await fetch(`${server}/api/device/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, agentVersion: 'simulated' }),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
    return new SimulatedAgent(server, enrollResponseSchema.parse(await res.json()), fails);
  }

  get id(): string {
    return this.credential.deviceId;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.credential.credential}`, 'content-type': 'application/json' };
  }

  /** One poll: returns the HTTP status; applies and reports a changed state. */
  async poll(): Promise<number> {
    this.polls++;
    const res = await fetch(`${this.server}/api/device/desired-state`, {
      headers: { ...this.headers(), ...(this.etag ? { 'if-none-match': this.etag } : {}) },
    });
    if (res.status === 304) {
      this.notModified++;
      return 304;
    }
    if (!res.ok) return res.status;
    const state = desiredStateSchema.parse(await res.json());
    this.etag = res.headers.get('etag');
    if (!state.deployment) return 200;
    const manifest = verifyManifest(state.deployment.manifest, state.deployment.signature, this.credential.signingKey);
    const variant = state.variant
      ? verifyManifest(state.variant.manifest, state.variant.signature, this.credential.signingKey).versionId
      : null;
    if (manifest.versionId !== this.current || variant !== this.variant) {
      if (this.fails && manifest.versionId !== this.current) this.failed = manifest.versionId;
      else if (manifest.versionId !== this.current) {
        this.previous = this.current;
        this.current = manifest.versionId;
      }
      this.variant = variant;
      await this.report();
    }
    return 200;
  }

  async report(): Promise<void> {
    const res = await fetch(`${this.server}/api/device/state`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({
        currentVersionId: this.current,
        previousVersionId: this.previous,
        health: this.failed && this.fails ? 'degraded' : 'ok',
        lastError: this.failed ? 'health check: simulated failure' : null,
        backend: 'simulated',
        failedVersionId: this.failed,
        variantVersionId: this.variant,
      }),
    });
    if (!res.ok) throw new Error(`state report failed: ${res.status} ${await res.text()}`);
  }

  async post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.server}${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) });
  }
}

/** Creates an enrollment token through the API and enrolls a simulated device with it. */
export async function enrollSimulated(
  api: { post(path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> }, // eslint-disable-line @typescript-eslint/no-explicit-any
  server: string,
  input: { workspaceId: string; name: string; group?: string; fails?: boolean },
): Promise<SimulatedAgent> {
  const t = await api.post('/api/enrollment-tokens', {
    workspaceId: input.workspaceId,
    deviceName: input.name,
    group: input.group ?? 'default',
  });
  if (t.status !== 201 && t.status !== 200) throw new Error(`enrollment token failed: ${JSON.stringify(t.json)}`);
  return SimulatedAgent.enroll(server, t.json.token as string, input.fails);
}
