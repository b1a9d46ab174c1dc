import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { versionGetter } from '../../../../server/operations/registry/model-queries';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => versionGetter(ctx.db, actor, params.id),
});
