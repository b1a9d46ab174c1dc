import { createHash } from 'node:crypto';
import { mkdirSync, openSync, closeSync, fsyncSync, renameSync, statSync, writeSync, existsSync, rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Downloads a model into <sha256>.partial, resuming with HTTP Range after a cut, then checks the
// sha256 and moves it into place with fsync + rename, so a crash never leaves a torn model behind.

export class IntegrityError extends Error {}

export function modelPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new IntegrityError('model names must be sha256 digests');
  return join(dataDir, 'models', `${sha256}.onnx`);
}

export async function downloadModel(opts: {
  server: string;
  credential: string;
  dataDir: string;
  sha256: string;
  size: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<string> {
  const target = modelPath(opts.dataDir, opts.sha256);
  if (existsSync(target) && sha256File(target) === opts.sha256) return target;
  mkdirSync(join(opts.dataDir, 'models'), { recursive: true });
  const partial = `${target}.partial`;
  let have = existsSync(partial) ? statSync(partial).size : 0;
  if (have > opts.size) {
    rmSync(partial);
    have = 0;
  }
  if (have < opts.size) {
    const res = await fetch(`${opts.server}/api/device/artifacts/${opts.sha256}`, {
      headers: { authorization: `Bearer ${opts.credential}`, ...(have > 0 ? { range: `bytes=${have}-` } : {}) },
    });
    if (res.status !== 200 && res.status !== 206)
      throw new Error(`model download failed (${res.status}): ${await res.text().catch(() => '')}`);
    // A server that ignores Range sends everything again: start over.
    if (res.status === 200) have = 0;
    const fd = openSync(partial, have === 0 ? 'w' : 'a');
    try {
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        writeSync(fd, value);
        have += value.byteLength;
        opts.onProgress?.(have, opts.size);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const digest = sha256File(partial);
  if (digest !== opts.sha256) {
    rmSync(partial, { force: true });
    throw new IntegrityError(`downloaded model has sha256 ${digest}, expected ${opts.sha256}; refused`);
  }
  renameSync(partial, target);
  return target;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
