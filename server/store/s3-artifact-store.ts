import { readFile } from 'node:fs/promises';
import { isSha256, sha256Of, type ArtifactStore } from './artifact-store';
import { EMPTY_SHA256, signRequest, type SigV4Credentials } from './sigv4';

// The artifact store on any S3-compatible service (AWS S3, MinIO, Ceph, R2 …). Objects are named by
// their sha256 under a prefix; every PUT carries its payload hash, which S3 verifies, and every GET is
// hashed again here, so a damaged object is reported rather than served.

export interface S3StoreConfig extends SigV4Credentials {
  endpoint: string;
  bucket: string;
  prefix: string;
  /** Path-style (`endpoint/bucket/key`, MinIO and most self-hosted) or host-style (`bucket.endpoint/key`). */
  pathStyle: boolean;
  timeoutMs?: number;
}

export class S3StoreError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'S3StoreError';
  }
}

export function createS3ArtifactStore(config: S3StoreConfig): ArtifactStore & { checkBucket(): Promise<void> } {
  const base = new URL(config.endpoint);
  const urlOf = (key: string) => {
    const url = new URL(base);
    const path = key ? `/${key}` : '/';
    if (config.pathStyle) url.pathname = `${base.pathname.replace(/\/$/, '')}/${config.bucket}${path}`;
    else {
      url.hostname = `${config.bucket}.${base.hostname}`;
      url.pathname = path;
    }
    return url;
  };
  const keyOf = (sha256: string) => `${config.prefix}${sha256.slice(0, 2)}/${sha256}`;

  async function call(method: string, key: string, body?: Uint8Array): Promise<Response> {
    const url = urlOf(key);
    const payloadHash = body ? sha256Of(body) : EMPTY_SHA256;
    const headers = signRequest(
      {
        method,
        url,
        headers: body ? { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength) } : {},
        payloadHash,
      },
      config,
    );
    try {
      return await fetch(url, {
        method,
        headers,
        body: body as Uint8Array<ArrayBuffer> | undefined,
        signal: AbortSignal.timeout(config.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new S3StoreError(`S3 ${method} ${url.host}${url.pathname} failed: ${(error as Error).message}`, 0);
    }
  }

  async function fail(method: string, key: string, res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    const code = text.match(/<Code>([^<]*)<\/Code>/)?.[1];
    const message = text.match(/<Message>([^<]*)<\/Message>/)?.[1];
    throw new S3StoreError(
      `S3 ${method} ${config.bucket}/${key} answered ${res.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
      res.status,
    );
  }

  async function head(sha256: string): Promise<number | null> {
    const key = keyOf(sha256);
    const res = await call('HEAD', key);
    if (res.status === 404) return null;
    if (!res.ok) return fail('HEAD', key, res);
    return Number(res.headers.get('content-length'));
  }

  return {
    async put(bytes) {
      const sha256 = sha256Of(bytes);
      if ((await head(sha256)) === bytes.byteLength) return { sha256, size: bytes.byteLength };
      const key = keyOf(sha256);
      const res = await call('PUT', key, bytes);
      if (!res.ok) await fail('PUT', key, res);
      await res.body?.cancel();
      return { sha256, size: bytes.byteLength };
    },
    async putFile(path) {
      // Buffered: a single signed PUT needs the payload hash up front (multipart streaming is future work).
      return this.put(new Uint8Array(await readFile(path)));
    },
    async get(sha256) {
      if (!isSha256(sha256)) return null;
      const key = keyOf(sha256);
      const res = await call('GET', key);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) return fail('GET', key, res);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (sha256Of(bytes) !== sha256)
        throw new S3StoreError(`S3 object ${config.bucket}/${key} does not hash to its name: it is damaged`, 500);
      return bytes;
    },
    async size(sha256) {
      if (!isSha256(sha256)) return null;
      return head(sha256);
    },
    async checkBucket() {
      const res = await call('HEAD', '');
      await res.body?.cancel();
      if (!res.ok)
        throw new S3StoreError(`S3 bucket "${config.bucket}" at ${config.endpoint} is not usable: HEAD answered ${res.status}`, res.status);
    },
  };
}
