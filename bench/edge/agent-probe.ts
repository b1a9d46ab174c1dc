// A child process that is the agent's serving path and nothing else: one ModelSession behind the
// agent's own HTTP server, so its RSS and latency are the agent's. Prints one JSON line when ready.
// Bundled and run by bench/edge/predict-latency.ts; args: <model.onnx> <inputShapeJSON>   (FERRY_AGENT_BACKEND=wasm for onnxruntime-web)
import type { Server } from 'node:http';
import { loadRuntime, ModelSession } from '../../edge-agent/serve/model-session';
import { startPredictServer } from '../../edge-agent/serve/predict-server';
import { ServingStats } from '../../edge-agent/serve/serving-stats';

/** The floor: a bare node:http server answering a constant body, what any HTTP API on this host costs. */
async function floor() {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"output":[0]}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, backend: 'none' }));
}

async function main() {
  const [path, shape] = process.argv.slice(2);
  if (path === 'floor') return floor();
  const { backend } = await loadRuntime();
  const session = await ModelSession.load(path!, 'bench', JSON.parse(shape!) as number[]);
  const stats = new ServingStats();
  const server: Server = await startPredictServer(
    {
      choose: () => ({ session, versionId: 'bench' }),
      backend: () => backend,
      health: () => ({ rss: process.memoryUsage().rss }),
      onServed: (s) => stats.record(s.versionId, s.latencyMs, s.outputs, s.predictionIds),
      onFeedback: () => false,
    },
    '127.0.0.1',
    0,
  );
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, backend }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
