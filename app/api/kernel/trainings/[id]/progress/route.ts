import { z } from 'zod';
import { trainingProgressSchema } from '../../../../../../core/contracts/messages/training';
import { route, uuidParam } from '../../../../../../server/http/route';
import { trainingProgressReporter } from '../../../../../../server/operations/training/training-checkpoints';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: trainingProgressSchema,
  handler: ({ ctx, actor, params, body }) => trainingProgressReporter(ctx.db, actor, params.id, body),
});
