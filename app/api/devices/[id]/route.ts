import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { deviceGetter } from '../../../../server/operations/fleet/device-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => deviceGetter(ctx.db, actor, params.id),
});
