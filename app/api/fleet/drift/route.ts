import { fleetQuerySchema } from '../../../../core/contracts/api/device';
import { route } from '../../../../server/http/route';
import { driftTimelineReader } from '../../../../server/operations/fleet/drift-timeline';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: fleetQuerySchema,
  handler: async ({ ctx, actor, query }) => ({ reports: await driftTimelineReader(ctx.db, actor, query.workspaceId, query.hours) }),
});
