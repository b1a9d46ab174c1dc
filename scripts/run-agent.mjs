#!/usr/bin/env node
// Runs the edge agent as one plain-JavaScript bundle (esbuild, ~0.2 s): no TypeScript loader in the
// device's process, which keeps the agent's memory under 150 MB on onnxruntime-web. The bundle is
// rebuilt on each start from the sources, written atomically so agents started together do not race.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'edge-agent', 'dist', 'ferry-agent.mjs');

const result = await build({
  entryPoints: [join(root, 'edge-agent', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native and wasm runtimes load from node_modules at run time (onnxruntime-node is optional).
  external: ['onnxruntime-node', 'onnxruntime-web'],
  write: false,
  logLevel: 'warning',
});
mkdirSync(dirname(out), { recursive: true });
const temp = `${out}.${randomBytes(4).toString('hex')}.tmp`;
writeFileSync(temp, result.outputFiles[0].contents);
renameSync(temp, out);
await import(pathToFileURL(out).href);
