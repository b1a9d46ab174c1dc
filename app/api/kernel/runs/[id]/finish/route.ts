import { z } from 'zod';
import { runFinishSchema } from '../../../../../../core/contracts/api/kernel-runs';
import { route, uuidParam } from '../../../../../../server/http/route';
import { runFinisher } from '../../../../../../server/operations/tracking/run-logger';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: runFinishSchema,
  handler: async ({ ctx, actor, params, body }) => {
    const run = await runFinisher(ctx.db, actor, params.id, body);
    return { id: run.id, status: run.status };
  },
});
