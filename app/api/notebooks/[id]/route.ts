import { z } from 'zod';
import { notebookUpdateRequestSchema } from '../../../../core/contracts/api/notebooks';
import { route, uuidParam } from '../../../../server/http/route';
import { notebookGetter, notebookUpdater } from '../../../../server/operations/notebooks/notebook-queries';
import { presentNotebook } from '../../../../server/presenters/notebook-presenter';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => {
    const nb = await notebookGetter(ctx.db, actor, params.id);
    return { ...presentNotebook(nb), role: nb.role };
  },
});
export const PATCH = route({
  params,
  body: notebookUpdateRequestSchema,
  handler: async ({ ctx, actor, params, body }) =>
    presentNotebook(await notebookUpdater(ctx.db, actor, { notebookId: params.id, ...body })),
});
