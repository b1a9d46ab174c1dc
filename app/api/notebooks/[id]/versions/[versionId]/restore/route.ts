import { z } from 'zod';
import { route, uuidParam } from '../../../../../../../server/http/route';
import { notebookVersionRestorer } from '../../../../../../../server/operations/notebooks/notebook-history';

export const dynamic = 'force-dynamic';
export const POST = route({
  params: z.object({ id: uuidParam, versionId: uuidParam }),
  status: 201,
  handler: ({ ctx, actor, params }) => notebookVersionRestorer(ctx, actor, params.id, params.versionId),
});
