import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { ensurePrivateDir } from './private-files';
import { join } from 'node:path';

// Content-addressed blobs. Names are sha256 hex checked against a strict pattern, so no artifact
// name can ever escape the store directory.

export interface ArtifactStore {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  /** Stores a file's bytes without holding them in memory (uploads spooled to disk). */
  putFile(path: string): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | null>;
  size(sha256: string): Promise<number | null>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createFilesystemArtifactStore(root: string): ArtifactStore {
  ensurePrivateDir(root);
  const pathOf = (sha256: string) => {
    if (!isSha256(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256).slice(0, 80)}`);
    return join(root, sha256.slice(0, 2), sha256);
  };
  return {
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      const target = pathOf(sha256);
      await mkdir(join(root, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      // A file already under this name is trusted only if it still hashes to it: a damaged blob
      // (disk fault, tampering) is replaced by the good bytes rather than served forever.
      if ((await exists(target)) && sha256Of(new Uint8Array(await readFile(target))) === sha256) return { sha256, size: bytes.byteLength };
      // Write aside, fsync, rename: a crash never leaves a half-written blob under its final name.
      const temp = `${target}.${randomUUID()}.partial`;
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target).catch(async (e: unknown) => {
        await unlink(temp).catch(() => undefined);
        throw e;
      });
      return { sha256, size: bytes.byteLength };
    },
    async putFile(path) {
      await mkdir(root, { recursive: true });
      // Copy aside while hashing, then rename under the hash: one pass over the file, bounded memory.
      const temp = join(root, `${randomUUID()}.partial`);
      const hash = createHash('sha256');
      let size = 0;
      const handle = await open(temp, 'wx');
      try {
        for await (const chunk of createReadStream(path)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).byteLength;
          await handle.write(chunk as Buffer);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
      await rename(temp, pathOf(sha256)).catch(async (e: unknown) => {
        await unlink(temp).catch(() => undefined);
        throw e;
      });
      return { sha256, size };
    },
    async get(sha256) {
      if (!isSha256(sha256)) return null;
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async size(sha256) {
      if (!isSha256(sha256)) return null;
      try {
        return (await stat(pathOf(sha256))).size;
      } catch {
        return null;
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
