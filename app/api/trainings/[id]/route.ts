import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { trainingGetter } from '../../../../server/operations/training/training-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => trainingGetter(ctx.db, actor, params.id),
});
