import { z } from 'zod';
import { kernelController } from '../../../../../../server/execution/kernel-controller';
import { route, uuidParam } from '../../../../../../server/http/route';

export const POST = route({
  params: z.object({ id: uuidParam, action: z.enum(['interrupt', 'restart', 'shutdown']) }),
  handler: ({ ctx, actor, params }) => kernelController(ctx, actor, { notebookId: params.id, action: params.action }),
});
