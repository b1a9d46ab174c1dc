#!/usr/bin/env node
// `npm start`: build the UI when there is no build or the sources changed since, then run the server.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const buildId = join(root, '.next', 'BUILD_ID');

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    if (name.name === 'node_modules' || name.name.startsWith('.')) continue;
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

let builtAt = 0;
try {
  builtAt = statSync(buildId).mtimeMs;
} catch {
  builtAt = 0;
}
const sourcesAt = Math.max(
  ...['app', 'core', 'server'].map((d) => newestMtime(join(root, d))),
  statSync(join(root, 'package.json')).mtimeMs,
);
if (builtAt < sourcesAt) {
  console.log(builtAt ? 'sources changed since the last UI build; rebuilding…' : 'building the UI (first start)…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
