import { z } from 'zod';
import { route } from '../../../../server/http/route';
import { driftAlertLister } from '../../../../server/operations/fleet/drift-alerts';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({ workspaceId: z.string().uuid(), status: z.enum(['open', 'resolved', 'all']).default('open') }),
  handler: async ({ ctx, actor, query }) => ({ alerts: await driftAlertLister(ctx.db, actor, query.workspaceId, query.status) }),
});
