import { z } from 'zod';
import { route } from '../../../server/http/route';
import { deviceLister } from '../../../server/operations/fleet/device-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({ workspaceId: z.string().uuid().optional() }),
  handler: async ({ ctx, actor, query }) => ({ devices: await deviceLister(ctx.db, actor, query.workspaceId) }),
});
