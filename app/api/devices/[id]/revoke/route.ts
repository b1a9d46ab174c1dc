import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { deviceRevoker } from '../../../../../server/operations/fleet/device-admin';

export const POST = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => deviceRevoker(ctx.db, actor, params.id),
});
