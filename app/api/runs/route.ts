import { runListQuerySchema } from '../../../core/contracts/api/registry';
import { route } from '../../../server/http/route';
import { runLister } from '../../../server/operations/tracking/run-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: runListQuerySchema,
  handler: async ({ ctx, actor, query }) => ({ runs: await runLister(ctx.db, actor, query) }),
});
