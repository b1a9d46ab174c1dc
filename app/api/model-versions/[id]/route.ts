import { z } from 'zod';
import { versionDescriptionSchema } from '../../../../core/contracts/api/registry-review';
import { route, uuidParam } from '../../../../server/http/route';
import { modelCardUpdater } from '../../../../server/operations/registry/model-card';
import { versionGetter } from '../../../../server/operations/registry/model-queries';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: ({ ctx, actor, params }) => versionGetter(ctx.db, actor, params.id),
});
export const PATCH = route({
  params,
  body: versionDescriptionSchema,
  handler: ({ ctx, actor, params, body }) => modelCardUpdater(ctx.db, actor, params.id, body.description),
});
