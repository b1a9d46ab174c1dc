import { z } from 'zod';
import { trainingRequirementsSchema } from '../../../../../../../core/contracts/messages/training';
import { cellIdSchema } from '../../../../../../../core/contracts/notebook-schema';
import { cellRunRequester } from '../../../../../../../server/execution/cell-run-requester';
import { route, uuidParam } from '../../../../../../../server/http/route';

export const POST = route({
  params: z.object({ id: uuidParam, cellId: cellIdSchema }),
  /** Optional: run on a kernel placed on a worker with a GPU or a label (the first run places it). */
  body: z.object({ requirements: trainingRequirementsSchema }),
  status: 202,
  handler: ({ ctx, actor, params, body }) =>
    cellRunRequester(ctx, actor, { notebookId: params.id, cellId: params.cellId, requirements: body.requirements }),
});
