#!/usr/bin/env node
// One entry for every test layer so that `npm test`, CI and a developer run the same thing.
// Usage: node scripts/test.mjs [all|static|unit|build|integration|e2e] [file-filter]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const layer = process.argv[2] ?? 'all';
const filter = process.argv[3];
const skipDirs = new Set(['node_modules', '.next', '.git', '.ferry', 'drizzle/migrations', 'bench/results']);

function findFiles(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(root, path);
    if (skipDirs.has(rel) || name.startsWith('.ferry')) continue;
    if (statSync(path).isDirectory()) findFiles(path, suffix, out);
    else if (name.endsWith(suffix)) out.push(rel);
  }
  return out;
}

function run(label, cmd, args, env = {}) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`◀ ${label} ${res.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (res.status !== 0) process.exit(res.status ?? 1);
}

function nodeTests(label, files, extraEnv = {}) {
  const selected = filter ? files.filter((f) => f.includes(filter)) : files;
  if (selected.length === 0) {
    console.error(`${label}: no test files found${filter ? ` matching "${filter}"` : ''}`);
    process.exit(1);
  }
  // --test-force-exit: a test that fails before closing a socket must not hang the whole run (CI
  // once waited forever on one); the failure is still reported and fails the run.
  run(
    label,
    process.execPath,
    ['--import', 'tsx', '--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...selected],
    extraEnv,
  );
}

const unitFiles = () =>
  ['core', 'server', 'workers', 'edge-agent', 'drizzle', 'app', 'deploy'].flatMap((d) => findFiles(join(root, d), '.test.ts'));
const integrationFiles = () => findFiles(join(root, 'test'), '.test.ts');
const e2eFiles = () => findFiles(join(root, 'playwright'), '.spec.ts');

const layers = {
  static() {
    run('typecheck', 'npm', ['run', 'typecheck']);
    run('lint', 'npm', ['run', 'lint']);
  },
  unit: () => nodeTests('unit', unitFiles()),
  // Integration and end-to-end tests start the real server, which serves the built UI.
  build: () => run('build', 'npm', ['run', 'build']),
  integration() {
    if (layer !== 'all') ensureBuilt();
    nodeTests('integration', integrationFiles());
  },
  e2e() {
    if (layer !== 'all') ensureBuilt();
    nodeTests('e2e', e2eFiles());
  },
};

function ensureBuilt() {
  if (!existsSync(join(root, '.next', 'BUILD_ID'))) layers.build();
}

if (layer === 'all') for (const l of ['static', 'unit', 'build', 'integration', 'e2e']) layers[l]();
else if (layers[layer]) layers[layer]();
else {
  console.error(`unknown test layer "${layer}"; use one of: all, ${Object.keys(layers).join(', ')}`);
  process.exit(2);
}
