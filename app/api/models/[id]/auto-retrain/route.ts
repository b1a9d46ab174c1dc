import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { autoRetrainSetter } from '../../../../../server/operations/fleet/auto-retrainer';

export const PUT = route({
  params: z.object({ id: uuidParam }),
  body: z.object({
    /** Minutes a drift alert must stay open before the source notebook is re-run; null turns it off. */
    minutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .nullable(),
    dataRef: z.string().max(500).nullable().optional(),
  }),
  handler: ({ ctx, actor, params, body }) => autoRetrainSetter(ctx, actor, params.id, body),
});
