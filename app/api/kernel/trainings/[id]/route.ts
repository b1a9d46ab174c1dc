import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { trainingStatusForJob } from '../../../../../server/operations/training/training-checkpoints';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => trainingStatusForJob(ctx.db, actor, params.id),
});
