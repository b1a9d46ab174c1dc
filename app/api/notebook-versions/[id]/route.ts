import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { notebookVersionGetter } from '../../../../server/operations/notebooks/notebook-version-getter';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => notebookVersionGetter(ctx.db, actor, params.id),
});
