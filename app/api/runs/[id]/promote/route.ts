import { z } from 'zod';
import { promoteRequestSchema } from '../../../../../core/contracts/api/registry';
import { route, uuidParam } from '../../../../../server/http/route';
import { runPromoter } from '../../../../../server/operations/registry/run-promoter';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: promoteRequestSchema,
  status: 201,
  handler: async ({ ctx, actor, params, body }) => {
    const { model, version, parity } = await runPromoter(ctx.db, ctx.artifacts, actor, { runId: params.id, ...body });
    return {
      model: { id: model.id, name: model.name },
      version: {
        id: version.id,
        version: version.version,
        status: version.status,
        onnxSha256: version.onnxSha256,
        signature: version.signature,
      },
      parity,
    };
  },
});
