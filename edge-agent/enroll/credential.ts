import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrollResponseSchema, type EnrollResponse } from '../../core/contracts/api/device';

// The device credential and the pinned server key, kept with mode 0600.

const file = (dataDir: string) => join(dataDir, 'credential.json');

export function loadCredential(dataDir: string): EnrollResponse | null {
  try {
    return enrollResponseSchema.parse(JSON.parse(readFileSync(file(dataDir), 'utf8')));
  } catch {
    return null;
  }
}

export class EnrollmentError extends Error {}

export async function enroll(server: string, dataDir: string, token: string, name?: string): Promise<EnrollResponse> {
  const res = await fetch(`${server}/api/device/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, name, agentVersion: '0.1.0' }),
  }).catch((error: unknown) => {
    throw new EnrollmentError(`cannot reach ${server}: ${(error as Error).message}`);
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new EnrollmentError(`enrollment refused (${res.status}): ${json.error?.message ?? 'no details'}`);
  const credential = enrollResponseSchema.parse(json);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${file(dataDir)}.tmp`;
  writeFileSync(temp, JSON.stringify(credential), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file(dataDir));
  return credential;
}
