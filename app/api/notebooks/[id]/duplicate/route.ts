import { z } from 'zod';
import { notebookNameSchema } from '../../../../../core/contracts/api/notebooks';
import { route, uuidParam } from '../../../../../server/http/route';
import { notebookDuplicator } from '../../../../../server/operations/notebooks/notebook-duplicator';
import { presentNotebook } from '../../../../../server/presenters/notebook-presenter';

export const dynamic = 'force-dynamic';
export const POST = route({
  params: z.object({ id: uuidParam }),
  body: z.object({ name: notebookNameSchema.optional() }),
  status: 201,
  handler: async ({ ctx, actor, params, body }) => presentNotebook(await notebookDuplicator(ctx, actor, params.id, body)),
});
