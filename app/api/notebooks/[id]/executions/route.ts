import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { executionQueueLister } from '../../../../../server/operations/notebooks/execution-queue';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: async ({ ctx, actor, params }) => ({ executions: await executionQueueLister(ctx.db, actor, params.id) }),
});
