import { modelListQuerySchema } from '../../../core/contracts/api/registry';
import { route } from '../../../server/http/route';
import { modelLister } from '../../../server/operations/registry/model-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: modelListQuerySchema,
  handler: async ({ ctx, actor, query }) => ({ models: await modelLister(ctx.db, actor, query.workspaceId) }),
});
