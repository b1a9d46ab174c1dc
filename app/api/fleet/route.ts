import { z } from 'zod';
import { route } from '../../../server/http/route';
import { fleetOverviewReader } from '../../../server/operations/fleet/fleet-overview';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({ workspaceId: z.string().uuid() }),
  handler: async ({ ctx, actor, query }) => ({ groups: await fleetOverviewReader(ctx.db, actor, query.workspaceId) }),
});
