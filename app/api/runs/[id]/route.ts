import { z } from 'zod';
import { runEditSchema } from '../../../../core/contracts/api/registry';
import { route, uuidParam } from '../../../../server/http/route';
import { runEditor } from '../../../../server/operations/tracking/api-runs';
import { runGetter } from '../../../../server/operations/tracking/run-queries';

export const dynamic = 'force-dynamic';
export const GET = route({ params: z.object({ id: uuidParam }), handler: ({ ctx, actor, params }) => runGetter(ctx.db, actor, params.id) });
export const PATCH = route({
  params: z.object({ id: uuidParam }),
  body: runEditSchema,
  handler: async ({ ctx, actor, params, body }) => {
    await runEditor(ctx.db, actor, params.id, body);
    return runGetter(ctx.db, actor, params.id);
  },
});
