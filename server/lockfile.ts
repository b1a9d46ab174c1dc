import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from './store/private-files';

// The embedded database can be opened by one process at a time; a running server records itself here so
// the CLI goes through its HTTP API instead of opening the database.
export interface ServerLock {
  pid: number;
  url: string;
  adminKey: string;
}

export const lockPath = (dataDir: string) => join(dataDir, 'server.json');

export function writeServerLock(dataDir: string, lock: ServerLock): void {
  ensurePrivateDir(dataDir);
  writePrivateFile(lockPath(dataDir), JSON.stringify(lock));
}

export function readLiveServerLock(dataDir: string): ServerLock | null {
  try {
    const lock = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as ServerLock;
    process.kill(lock.pid, 0);
    return lock;
  } catch {
    return null;
  }
}

export function removeServerLock(dataDir: string): void {
  rmSync(lockPath(dataDir), { force: true });
}
