import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { trainingCanceller } from '../../../../../server/operations/training/training-canceller';

export const POST = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => trainingCanceller(ctx, actor, params.id),
});
