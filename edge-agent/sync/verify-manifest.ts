import { createPublicKey, verify } from 'node:crypto';
import { manifestSchema, type Manifest } from '../../core/contracts/api/device';
import { IntegrityError } from './download';

/** Checks the server's ed25519 signature over the manifest against the key pinned at enrollment. */
export function verifyManifest(manifestText: string, signatureB64: string, pinnedKeyPem: string): Manifest {
  const ok = verify(null, Buffer.from(manifestText), createPublicKey(pinnedKeyPem), Buffer.from(signatureB64, 'base64'));
  if (!ok) throw new IntegrityError('manifest signature does not verify with the pinned server key; refused');
  return manifestSchema.parse(JSON.parse(manifestText));
}
