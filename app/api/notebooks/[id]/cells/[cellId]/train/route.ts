import { z } from 'zod';
import { trainingRequirementsSchema } from '../../../../../../../core/contracts/messages/training';
import { route, uuidParam } from '../../../../../../../server/http/route';
import { trainingSubmitter } from '../../../../../../../server/operations/training/training-submitter';

export const POST = route({
  params: z.object({ id: uuidParam, cellId: z.string().min(1).max(64) }),
  body: z.object({ requirements: trainingRequirementsSchema, params: z.record(z.string(), z.string().max(1000)).optional() }),
  status: 202,
  handler: ({ ctx, actor, params, body }) =>
    trainingSubmitter(ctx, actor, { notebookId: params.id, cellId: params.cellId, requirements: body.requirements, params: body.params }),
});
