import { z } from 'zod';
import { route } from '../../../../server/http/route';
import { workspaceRunSearcher } from '../../../../server/operations/tracking/run-searcher';

// The runs page: MLflow's filter language and one sort key over a workspace's runs, in keyset pages.
export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({
    workspaceId: z.string().uuid(),
    filter: z.string().max(2000).optional(),
    orderBy: z.string().max(300).optional(),
    pageToken: z.string().max(2000).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  }),
  handler: ({ ctx, actor, query }) => workspaceRunSearcher(ctx.db, actor, query),
});
