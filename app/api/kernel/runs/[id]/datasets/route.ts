import { z } from 'zod';
import { route, uuidParam } from '../../../../../../server/http/route';
import { datasetUser } from '../../../../../../server/operations/datasets/dataset-queries';

// ferry.useDataset(ref) from a cell: the rows, and the reference recorded on the run.
export const POST = route({
  params: z.object({ id: uuidParam }),
  body: z.object({ ref: z.string().min(1).max(200) }),
  handler: ({ ctx, actor, params, body }) => datasetUser(ctx.db, ctx.artifacts, actor, params.id, body.ref),
});
