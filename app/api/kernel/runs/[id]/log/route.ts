import { z } from 'zod';
import { runLogSchema } from '../../../../../../core/contracts/api/kernel-runs';
import { route, uuidParam } from '../../../../../../server/http/route';
import { runLogger } from '../../../../../../server/operations/tracking/run-logger';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: runLogSchema,
  maxBodyBytes: 1024 * 1024,
  handler: ({ ctx, actor, params, body }) => runLogger(ctx.db, actor, params.id, body),
});
