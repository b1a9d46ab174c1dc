import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { metricHistory } from '../../../../../server/operations/tracking/run-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  query: z.object({ key: z.string().min(1).max(250) }),
  handler: async ({ ctx, actor, params, query }) => ({ key: query.key, points: await metricHistory(ctx.db, actor, params.id, query.key) }),
});
