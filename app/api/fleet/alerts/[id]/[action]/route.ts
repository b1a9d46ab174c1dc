import { z } from 'zod';
import { retrainRequestSchema } from '../../../../../../core/contracts/api/device';
import { route, uuidParam } from '../../../../../../server/http/route';
import { driftAlertResolver } from '../../../../../../server/operations/fleet/drift-alerts';
import { retrainer } from '../../../../../../server/operations/fleet/retrainer';

export const POST = route({
  params: z.object({ id: uuidParam, action: z.enum(['resolve', 'retrain']) }),
  body: retrainRequestSchema,
  handler: async ({ ctx, actor, params, body }) =>
    params.action === 'retrain'
      ? { ...(await retrainer(ctx, actor, params.id, body)), runId: null }
      : { alert: await driftAlertResolver(ctx.db, actor, params.id) },
});
