import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Host uids for kernels, one per running kernel, shared by every worker process on the machine: a
// claim is a file named after the uid holding the claiming worker's pid, so two workers never hand
// out the same uid and a crashed worker's claims are taken back.

export interface UidClaim {
  uid: number;
  release(): void;
}

const DEFAULT_DIR = '/run/ferry-kernel-uids';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function heldByLiveWorker(path: string): boolean {
  try {
    const owner = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(owner) && owner > 0 && alive(owner);
  } catch {
    return false;
  }
}

/** Drops the claims of workers that are gone (killed before they could release them). */
export function sweepStaleKernelUids(dir = DEFAULT_DIR): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (!heldByLiveWorker(join(dir, name))) rmSync(join(dir, name), { force: true });
}

function tryClaim(path: string): boolean {
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (heldByLiveWorker(path)) return false;
  // The worker that held it is gone (and its kernels with it: --die-with-parent).
  rmSync(path, { force: true });
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

/** Claims a free uid of the range; throws when all are held by running kernels. */
export function claimKernelUid(range: { base: number; count: number }, dir = DEFAULT_DIR): UidClaim {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Start at a random offset so that workers starting together do not race for the same files.
  const start = Math.floor(Math.random() * range.count);
  for (let i = 0; i < range.count; i++) {
    const uid = range.base + ((start + i) % range.count);
    const path = join(dir, String(uid));
    if (!tryClaim(path)) continue;
    let released = false;
    return {
      uid,
      release() {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      },
    };
  }
  throw new Error(
    `all ${range.count} kernel uids (${range.base}–${range.base + range.count - 1}) are in use: raise FERRY_KERNEL_UID_COUNT`,
  );
}
