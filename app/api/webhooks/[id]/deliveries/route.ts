import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { webhookDeliveryLister } from '../../../../../server/operations/registry/webhooks';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => webhookDeliveryLister(ctx.db, actor, params.id),
});
