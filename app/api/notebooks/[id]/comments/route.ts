import { z } from 'zod';
import { cellIdSchema } from '../../../../../core/contracts/notebook-schema';
import { route, uuidParam } from '../../../../../server/http/route';
import { commentCreator, commentLister } from '../../../../../server/operations/notebooks/cell-comments';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => ({ comments: await commentLister(ctx, actor, params.id) }),
});
export const POST = route({
  params,
  body: z.object({ cellId: cellIdSchema, body: z.string().trim().min(1, 'a comment needs some text').max(5000) }),
  status: 201,
  handler: ({ ctx, actor, params, body }) => commentCreator(ctx, actor, { notebookId: params.id, ...body }),
});
