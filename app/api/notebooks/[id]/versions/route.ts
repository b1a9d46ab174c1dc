import { z } from 'zod';
import { namedVersionRequestSchema } from '../../../../../core/contracts/api/notebooks';
import { route, uuidParam } from '../../../../../server/http/route';
import { namedVersionSaver, notebookVersionLister } from '../../../../../server/operations/notebooks/notebook-history';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => ({ versions: await notebookVersionLister(ctx, actor, params.id) }),
});
export const POST = route({
  params,
  body: namedVersionRequestSchema,
  status: 201,
  handler: ({ ctx, actor, params, body }) => namedVersionSaver(ctx, actor, params.id, body),
});
