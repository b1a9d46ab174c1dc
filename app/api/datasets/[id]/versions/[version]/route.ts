import { z } from 'zod';
import { route, uuidParam } from '../../../../../../server/http/route';
import { datasetVersionGetter } from '../../../../../../server/operations/datasets/dataset-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam, version: z.coerce.number().int().min(1) }),
  handler: ({ ctx, actor, params }) => datasetVersionGetter(ctx.db, ctx.artifacts, actor, params.id, params.version),
});
