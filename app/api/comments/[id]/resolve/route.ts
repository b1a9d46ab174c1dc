import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { commentResolver } from '../../../../../server/operations/notebooks/cell-comments';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: z.object({ resolved: z.boolean().default(true) }),
  handler: ({ ctx, actor, params, body }) => commentResolver(ctx, actor, params.id, body.resolved),
});
