import { z } from 'zod';
import { AppError } from '../../../../../server/errors';
import { route } from '../../../../../server/http/route';
import { deviceArtifactAccess } from '../../../../../server/operations/fleet/device-sync';

// Model download with HTTP Range, so an interrupted download resumes where it stopped.
export const GET = route({
  params: z.object({ sha256: z.string() }),
  handler: async ({ ctx, actor, params, request }) => {
    await deviceArtifactAccess(ctx.db, actor, params.sha256);
    const bytes = await ctx.artifacts.get(params.sha256);
    if (!bytes) throw new AppError('NOT_FOUND', 'artifact missing from the store');
    const range = request.headers.get('range')?.match(/^bytes=(\d+)-(\d*)$/);
    const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
    if (!range)
      return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
        headers: { ...headers, 'content-length': String(bytes.byteLength) },
      });
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), bytes.byteLength - 1) : bytes.byteLength - 1;
    if (start >= bytes.byteLength || start > end)
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${bytes.byteLength}` } });
    const part = bytes.subarray(start, end + 1);
    return new Response(new Blob([part as Uint8Array<ArrayBuffer>]), {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.byteLength}`, 'content-length': String(part.byteLength) },
    });
  },
});
