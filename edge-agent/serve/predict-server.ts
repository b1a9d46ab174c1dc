import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ModelSession } from './model-session';

// The device's local prediction endpoint: POST /predict with {input: number[]} or {inputs: number[][]}.

const predictSchema = z.union([
  z.object({ inputs: z.array(z.array(z.number())).min(1).max(10_000) }),
  z.object({ input: z.array(z.number()).min(1) }),
]);

export interface PredictDeps {
  current(): { session: ModelSession; versionId: string } | null;
  backend(): string;
  health(): Record<string, unknown>;
  onServed(rows: number[][]): void;
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

async function handle(deps: PredictDeps, req: IncomingMessage, res: ServerResponse) {
  try {
    if (req.method === 'GET' && req.url === '/health') return reply(res, 200, deps.health());
    if (req.method !== 'POST' || req.url !== '/predict') return reply(res, 404, { error: { message: 'use POST /predict or GET /health' } });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).byteLength;
      if (size > MAX_BODY) return reply(res, 413, { error: { message: `body exceeds ${MAX_BODY} bytes` } });
      chunks.push(chunk as Buffer);
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, { error: { message: 'malformed JSON' } });
    }
    const parsed = predictSchema.safeParse(json);
    if (!parsed.success) return reply(res, 400, { error: { message: 'expected {"inputs": number[][]} or {"input": number[]}' } });
    // Read the slot once: a model switch during this request does not change what serves it.
    const current = deps.current();
    if (!current) return reply(res, 503, { error: { message: 'no model is deployed to this device yet' } });
    const rows = 'inputs' in parsed.data ? parsed.data.inputs : [parsed.data.input];
    const bad = rows.findIndex((r) => r.length !== current.session.width);
    if (bad >= 0)
      return reply(res, 400, {
        error: { message: `row ${bad} has ${rows[bad]!.length} features; the model expects shape [batch, ${current.session.width}]` },
      });
    const outputs = await current.session.predict(rows);
    deps.onServed(rows);
    reply(
      res,
      200,
      'inputs' in parsed.data
        ? { outputs, modelVersionId: current.versionId, backend: deps.backend() }
        : { output: outputs[0], modelVersionId: current.versionId, backend: deps.backend() },
    );
  } catch (error) {
    reply(res, 500, { error: { message: `prediction failed: ${(error as Error).message}` } });
  }
}
