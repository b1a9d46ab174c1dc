import { randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors';

// A large upload goes to a file as it arrives, never into memory; the limit is enforced on the bytes
// actually received, whatever Content-Length claims.

export interface SpooledUpload {
  path: string;
  size: number;
  /** Removes the file; call it whatever happens to the upload. */
  discard(): Promise<void>;
}

/** Streams the request body into a private file under `dir`, refusing it with 413 past `limit` bytes. */
export async function spoolUpload(request: Request, dir: string, limit: number): Promise<SpooledUpload> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new AppError('PAYLOAD_TOO_LARGE', `the upload is ${declared} bytes; the limit is ${limit}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomUUID()}.upload`);
  const discard = () => rm(path, { force: true });
  const handle = await open(path, 'wx', 0o600);
  let size = 0;
  try {
    if (request.body) {
      const reader = request.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > limit) {
          await reader.cancel();
          throw new AppError('PAYLOAD_TOO_LARGE', `the upload exceeds the limit of ${limit} bytes`);
        }
        await handle.write(value);
      }
    }
  } catch (error) {
    await handle.close();
    await discard();
    throw error;
  }
  await handle.close();
  return { path, size, discard };
}
