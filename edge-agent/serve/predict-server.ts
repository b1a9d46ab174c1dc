import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Instance } from '../../core/contracts/api/device';
import type { ModelSession } from './model-session';

// The device's local API: POST /predict with {input} or {inputs: [...]} (each instance flat or nested in
// the model's shape), POST /feedback with the true label of an earlier prediction, GET /health.

const feedbackItem = z.object({ predictionId: z.string().min(1).max(100), label: z.number() });
const feedbackSchema = z.union([feedbackItem, z.object({ feedback: z.array(feedbackItem).min(1).max(10_000) })]);

export interface Served {
  versionId: string;
  rows: number[][];
  outputs: number[][];
  latencyMs: number;
  predictionIds: string[];
}

export interface PredictDeps {
  /** The session that serves this request (primary or A/B variant), chosen by the request's key. */
  choose(requestKey: string): { session: ModelSession; versionId: string } | null;
  backend(): string;
  health(): Record<string, unknown>;
  onServed(served: Served): void;
  onFeedback(predictionId: string, label: number): boolean;
}

const MAX_BODY = 8 * 1024 * 1024;

export function startPredictServer(deps: PredictDeps, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => void handle(deps, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readJson(req: IncomingMessage): Promise<{ ok: true; json: unknown } | { ok: false; status: number; message: string }> {
  // Plain events rather than `for await`: this is the hot path of every prediction.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return resolve({ ok: false, status: 413, message: `body exceeds ${MAX_BODY} bytes` });
      try {
        resolve({ ok: true, json: JSON.parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')) });
      } catch {
        resolve({ ok: false, status: 400, message: 'malformed JSON' });
      }
    });
    req.on('error', () => resolve({ ok: false, status: 400, message: 'request aborted' }));
  });
}

function isInstance(value: unknown, depth = 0): value is Instance {
  if (typeof value === 'number') return true;
  if (!Array.isArray(value) || depth > 8) return false;
  for (const v of value) if (!isInstance(v, depth + 1)) return false;
  return true;
}

/** The request body, checked by hand: zod's recursive union costs more than the model on small inputs. */
function parsePredict(json: unknown): { batch: boolean; instances: Instance[] } | null {
  if (typeof json !== 'object' || json === null) return null;
  const body = json as { inputs?: unknown; input?: unknown };
  if (Array.isArray(body.inputs)) {
    if (body.inputs.length < 1 || body.inputs.length > 10_000 || !body.inputs.every((i) => isInstance(i))) return null;
    return { batch: true, instances: body.inputs as Instance[] };
  }
  if (body.input !== undefined && isInstance(body.input)) return { batch: false, instances: [body.input] };
  return null;
}

async function handle(deps: PredictDeps, req: IncomingMessage, res: ServerResponse) {
  try {
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, deps.health());
    if (req.method === 'POST' && req.url === '/feedback') return await feedback(deps, req, res);
    if (req.method !== 'POST' || req.url !== '/predict')
      return reply(res, 404, { error: { message: 'use POST /predict, POST /feedback or GET /health' } });
    const body = await readJson(req);
    if (!body.ok) return reply(res, body.status, { error: { message: body.message } });
    const parsed = parsePredict(body.json);
    if (!parsed)
      return reply(res, 400, {
        error: { message: 'expected {"inputs": [instance, …]} or {"input": instance}; an instance is a flat or nested array of numbers' },
      });
    const header = req.headers['x-request-id'];
    // Read the slot once: a model switch during this request does not change what serves it.
    const current = deps.choose(typeof header === 'string' && header ? header : randomUUID());
    if (!current) return reply(res, 503, { error: { message: 'no model is deployed to this device yet' } });
    const instances = parsed.instances;
    let flat: Float32Array;
    try {
      flat = current.session.flatten(instances);
    } catch (error) {
      return reply(res, 400, { error: { message: (error as Error).message } });
    }
    const started = performance.now();
    const outputs = await current.session.predictFlat(flat, instances.length);
    const latencyMs = performance.now() - started;
    const predictionIds = instances.map(() => randomUUID());
    const size = current.session.size;
    const rows = Array.from({ length: instances.length }, (_, i) => Array.from(flat.subarray(i * size, (i + 1) * size)));
    deps.onServed({ versionId: current.versionId, rows, outputs, latencyMs, predictionIds });
    const common = { modelVersionId: current.versionId, backend: deps.backend() };
    reply(
      res,
      200,
      parsed.batch ? { outputs, predictionIds, ...common } : { output: outputs[0], predictionId: predictionIds[0], ...common },
    );
  } catch (error) {
    reply(res, 500, { error: { message: `prediction failed: ${(error as Error).message}` } });
  }
}

async function feedback(deps: PredictDeps, req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (!body.ok) return reply(res, body.status, { error: { message: body.message } });
  const parsed = feedbackSchema.safeParse(body.json);
  if (!parsed.success)
    return reply(res, 400, {
      error: { message: 'expected {"predictionId": "…", "label": number} or {"feedback": [{predictionId, label}, …]}' },
    });
  const items = 'feedback' in parsed.data ? parsed.data.feedback : [parsed.data];
  const unknown = items.filter((i) => !deps.onFeedback(i.predictionId, i.label)).map((i) => i.predictionId);
  reply(res, unknown.length === items.length ? 404 : 200, {
    accepted: items.length - unknown.length,
    unknown,
    ...(unknown.length ? { note: 'unknown ids: predictions this agent no longer remembers (it keeps the last 10,000) or never made' } : {}),
  });
}
