import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { notebookRunner } from '../../../../../server/execution/notebook-runner';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: z.object({ fromCellId: z.string().min(1).max(64).optional() }),
  status: 202,
  handler: ({ ctx, actor, params, body }) => notebookRunner(ctx, actor, { notebookId: params.id, fromCellId: body.fromCellId }),
});
