import { z } from 'zod';
import { cellIdSchema } from '../../../../../../../core/contracts/notebook-schema';
import { cellRunRequester } from '../../../../../../../server/execution/cell-run-requester';
import { route, uuidParam } from '../../../../../../../server/http/route';

export const POST = route({
  params: z.object({ id: uuidParam, cellId: cellIdSchema }),
  status: 202,
  handler: ({ ctx, actor, params }) => cellRunRequester(ctx, actor, { notebookId: params.id, cellId: params.cellId }),
});
