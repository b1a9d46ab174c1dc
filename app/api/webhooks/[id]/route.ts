import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { webhookDeleter } from '../../../../server/operations/registry/webhooks';

export const dynamic = 'force-dynamic';
export const DELETE = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => webhookDeleter(ctx.db, actor, params.id),
});
