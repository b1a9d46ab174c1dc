import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import type { BenchRow } from '../table';
import { summarize } from '../table';
import { loadRuntimeFor, type RuntimeName } from './runtimes';

// Predict latency of the agent (HTTP /predict) on onnxruntime-web and onnxruntime-node, beside a bare
// session.run of the same model in the same runtime, and the agent's resident memory.

interface Model {
  name: string;
  path: string;
  shape: number[];
  instance: () => number[];
}

const MODELS: Model[] = [
  {
    name: 'MLP 8-16-4 (PyTorch)',
    path: 'edge-agent/fixtures/torch-mlp.onnx',
    shape: [1, 8],
    instance: () => Array.from({ length: 8 }, () => Math.random()),
  },
  {
    name: 'CNN 1x8x8 (PyTorch)',
    path: 'edge-agent/fixtures/torch-cnn.onnx',
    shape: [1, 1, 8, 8],
    instance: () => Array.from({ length: 64 }, () => Math.random()),
  },
];
const ITERATIONS = Number(process.env.FERRY_BENCH_PREDICT_N ?? 2000);

async function bareRun(runtime: RuntimeName, model: Model): Promise<number[]> {
  const ort = await loadRuntimeFor(runtime);
  const { readFileSync } = await import('node:fs');
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(model.path)));
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS + 100; i++) {
    const input = new ort.Tensor('float32', Float32Array.from(model.instance()), model.shape);
    const t = performance.now();
    await session.run({ [session.inputNames[0]!]: input });
    if (i >= 100) times.push(performance.now() - t);
  }
  await session.release();
  return times;
}

/** The probe as one bundle, run by plain node like the agent (scripts/run-agent.mjs): no loader in its memory. */
async function probeBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const out = 'bench/results/agent-probe.mjs';
  await build({
    entryPoints: ['bench/edge/agent-probe.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['onnxruntime-node', 'onnxruntime-web'],
    outfile: out,
    logLevel: 'warning',
  });
  return out;
}

async function agentRun(runtime: RuntimeName, model: Model | null): Promise<{ times: number[]; rssMb: number; backend: string }> {
  const args = model ? [model.path, JSON.stringify([null, ...model.shape.slice(1)])] : ['floor'];
  const child = spawn(process.execPath, [await probeBundle(), ...args], {
    env: { ...process.env, FERRY_AGENT_BACKEND: runtime === 'web' ? 'wasm' : '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`agent probe exited with ${code}`)));
  });
  const { port, backend } = JSON.parse(first) as { port: number; backend: string };
  const url = `http://127.0.0.1:${port}`;
  const times: number[] = [];
  try {
    // A keep-alive node:http client: the cheapest client, so the difference is the agent's own path.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < ITERATIONS + 100; i++) {
      const body = JSON.stringify({ input: model ? model.instance() : [0] });
      const t = performance.now();
      await post(keepAlive, port, body);
      if (i >= 100) times.push(performance.now() - t);
    }
    keepAlive.destroy();
    if (!model) return { times, rssMb: NaN, backend };
    const health = (await (await fetch(`${url}/health`)).json()) as { rss: number };
    return { times, rssMb: health.rss / 2 ** 20, backend };
  } finally {
    child.kill();
  }
}

function post(agent: Agent, port: number, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/predict',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`predict: HTTP ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function predictLatency(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const model of MODELS) {
    const results: Partial<
      Record<
        RuntimeName,
        { bare: ReturnType<typeof summarize>; agent: ReturnType<typeof summarize>; floor: ReturnType<typeof summarize>; rssMb: number }
      >
    > = {};
    for (const runtime of ['web', 'node'] as const) {
      const bare = await bareRun(runtime, model).catch(() => null);
      // The loopback floor is measured right before each agent run: load on 2 cores moves it.
      const floor = await agentRun('node', null);
      const agent = await agentRun(runtime, model).catch(() => null);
      if (!bare || !agent) continue;
      results[runtime] = { bare: summarize(bare), agent: summarize(agent.times), floor: summarize(floor.times), rssMb: agent.rssMb };
      process.stderr.write(`  ${model.name} on ${agent.backend}: done\n`);
    }
    for (const runtime of ['web', 'node'] as const) {
      const r = results[runtime];
      if (!r) continue;
      const label = runtime === 'web' ? 'onnxruntime-web (wasm)' : 'onnxruntime-node';
      rows.push(
        {
          metric: `${model.name}: agent /predict p50, ${label}`,
          unit: 'ms',
          ferry: r.agent.p50,
          reference: r.bare.p50,
          referenceName: 'bare session.run p50',
          better: 'lower',
          note: `HTTP path adds ${(r.agent.p50 - r.bare.p50).toFixed(3)} ms: ${r.floor.p50.toFixed(3)} bare node:http round trip + ${(r.agent.p50 - r.bare.p50 - r.floor.p50).toFixed(3)} agent handler (goal < 0.3)`,
        },
        {
          metric: `${model.name}: agent /predict p99, ${label}`,
          unit: 'ms',
          ferry: r.agent.p99,
          reference: r.bare.p99,
          referenceName: 'bare session.run p99',
          better: 'lower',
        },
      );
    }
    if (results.web && results.node)
      rows.push(
        {
          metric: `${model.name}: agent /predict p50, wasm vs node`,
          unit: 'ms',
          ferry: results.web.agent.p50,
          reference: results.node.agent.p50,
          referenceName: 'onnxruntime-node',
          better: 'lower',
        },
        {
          metric: `${model.name}: agent RSS, wasm vs node`,
          unit: 'MB',
          ferry: results.web.rssMb,
          reference: results.node.rssMb,
          referenceName: 'onnxruntime-node',
          better: 'lower',
          note: 'goal on wasm < 150 MB',
        },
      );
  }
  return rows;
}
