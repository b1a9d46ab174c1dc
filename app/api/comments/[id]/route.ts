import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { commentDeleter } from '../../../../server/operations/notebooks/cell-comments';

export const DELETE = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => commentDeleter(ctx, actor, params.id),
});
