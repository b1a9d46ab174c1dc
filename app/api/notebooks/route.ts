import { notebookCreateRequestSchema, notebookListQuerySchema } from '../../../core/contracts/api/notebooks';
import { route } from '../../../server/http/route';
import { notebookCreator } from '../../../server/operations/notebooks/notebook-creator';
import { notebookLister } from '../../../server/operations/notebooks/notebook-queries';
import { presentNotebook } from '../../../server/presenters/notebook-presenter';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: notebookListQuerySchema,
  handler: async ({ ctx, actor, query }) => ({
    notebooks: (await notebookLister(ctx.db, actor, { ...query, trashed: query.trashed === 'true' })).map(presentNotebook),
  }),
});
export const POST = route({
  body: notebookCreateRequestSchema,
  status: 201,
  handler: async ({ ctx, actor, body }) => presentNotebook(await notebookCreator(ctx.db, actor, body)),
});
