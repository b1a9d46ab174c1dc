#!/usr/bin/env node
// Monaco loads from our own server (public/monaco/vs), never a CDN: copy its AMD build out of node_modules.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const from = join(root, 'node_modules', 'monaco-editor', 'min', 'vs');
const to = join(root, 'public', 'monaco', 'vs');
if (!existsSync(from)) {
  console.error(`monaco-editor is not installed (${from} missing): run npm install`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`copied Monaco to ${to}`);
