import { z } from 'zod';
import { route } from '../../../server/http/route';
import { trainingLister } from '../../../server/operations/training/training-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({ notebookId: z.string().uuid().optional(), workspaceId: z.string().uuid().optional() }),
  handler: async ({ ctx, actor, query }) => ({ trainings: await trainingLister(ctx.db, actor, query) }),
});
