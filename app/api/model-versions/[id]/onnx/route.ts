import { z } from 'zod';
import { AppError } from '../../../../../server/errors';
import { route, uuidParam } from '../../../../../server/http/route';
import { versionInWorkspace } from '../../../../../server/operations/registry/version-decisions';

export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: async ({ ctx, actor, params }) => {
    const { version, model } = await versionInWorkspace(ctx.db, actor, params.id, 'model.read');
    const bytes = await ctx.artifacts.get(version.onnxSha256);
    if (!bytes) throw new AppError('NOT_FOUND', 'the ONNX artifact is missing from the store');
    return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      headers: {
        'content-type': 'application/onnx',
        'content-disposition': `attachment; filename="${model.name}-v${version.version}.onnx"`,
      },
    });
  },
});
