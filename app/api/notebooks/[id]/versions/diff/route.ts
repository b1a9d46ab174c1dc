import { z } from 'zod';
import { versionDiffQuerySchema } from '../../../../../../core/contracts/api/notebooks';
import { route, uuidParam } from '../../../../../../server/http/route';
import { notebookVersionDiffer } from '../../../../../../server/operations/notebooks/notebook-history';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  query: versionDiffQuerySchema,
  handler: ({ ctx, actor, params, query }) => notebookVersionDiffer(ctx, actor, params.id, query.from, query.to),
});
