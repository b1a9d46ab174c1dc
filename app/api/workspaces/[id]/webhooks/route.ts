import { z } from 'zod';
import { webhookCreateSchema } from '../../../../../core/contracts/api/registry-review';
import { route, uuidParam } from '../../../../../server/http/route';
import { webhookCreator, webhookLister } from '../../../../../server/operations/registry/webhooks';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => ({ webhooks: await webhookLister(ctx.db, actor, params.id) }),
});
export const POST = route({
  params,
  body: webhookCreateSchema,
  status: 201,
  handler: ({ ctx, actor, params, body }) =>
    webhookCreator(ctx.db, actor, params.id, body, {
      secretKey: ctx.secretKey,
      allowPrivate: ctx.env.FERRY_WEBHOOK_ALLOW_PRIVATE === '1',
    }),
});
