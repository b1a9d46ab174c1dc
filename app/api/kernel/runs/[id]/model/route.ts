import { z } from 'zod';
import { runModelLogSchema } from '../../../../../../core/contracts/api/kernel-runs';
import { route, uuidParam } from '../../../../../../server/http/route';
import { runModelLogger } from '../../../../../../server/operations/tracking/run-model-logger';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: runModelLogSchema,
  maxBodyBytes: 200 * 1024 * 1024,
  status: 201,
  handler: ({ ctx, actor, params, body }) => runModelLogger(ctx.db, ctx.artifacts, actor, params.id, body),
});
