import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';

// The server's secrets (the admin key in server.json, the manifest signing key, the embedded
// database, the artifacts) are for the server's user alone. Modes are set again on paths that
// already exist, since a file or directory made by an older version kept its umask's mode.

/** Creates a directory (and its missing parents) only the server's user can enter: 0700. */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

/** Writes a file only the server's user can read or write: 0600. */
export function writePrivateFile(path: string, data: string, flag: 'w' | 'wx' = 'w'): void {
  writeFileSync(path, data, { mode: 0o600, flag });
  chmodSync(path, 0o600);
}
