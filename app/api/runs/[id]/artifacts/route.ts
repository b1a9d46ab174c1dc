import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { runArtifactReader } from '../../../../../server/operations/tracking/run-artifacts';

export const dynamic = 'force-dynamic';
// A run's artifact by its path (the run page's download links).
export const GET = route({
  params: z.object({ id: uuidParam }),
  query: z.object({ path: z.string().min(1).max(1000) }),
  handler: async ({ ctx, actor, params, query }) => {
    const { bytes, fileName, mediaType } = await runArtifactReader(ctx.db, ctx.artifacts, actor, params.id, query.path);
    return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      headers: {
        'content-type': mediaType,
        'content-length': String(bytes.byteLength),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      },
    });
  },
});
