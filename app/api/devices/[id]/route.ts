import { z } from 'zod';
import { deviceUpdateSchema } from '../../../../core/contracts/api/device';
import { route, uuidParam } from '../../../../server/http/route';
import { deviceUpdater } from '../../../../server/operations/fleet/device-admin';
import { deviceGetter } from '../../../../server/operations/fleet/device-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => deviceGetter(ctx.db, actor, params.id),
});
export const PATCH = route({
  params: z.object({ id: uuidParam }),
  body: deviceUpdateSchema,
  handler: async ({ ctx, actor, params, body }) => ({ device: await deviceUpdater(ctx.db, actor, params.id, body) }),
});
