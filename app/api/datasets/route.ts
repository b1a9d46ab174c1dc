import { z } from 'zod';
import { route } from '../../../server/http/route';
import { datasetLister } from '../../../server/operations/datasets/dataset-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({ workspaceId: z.string().uuid() }),
  handler: async ({ ctx, actor, query }) => ({ datasets: await datasetLister(ctx.db, actor, query.workspaceId) }),
});
