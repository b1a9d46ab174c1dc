import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { versionReviewer } from '../../../../../server/operations/registry/version-reviewer';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => versionReviewer(ctx.db, actor, params.id),
});
