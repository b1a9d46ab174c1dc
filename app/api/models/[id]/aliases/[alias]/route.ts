import { z } from 'zod';
import { route, uuidParam } from '../../../../../../server/http/route';
import { aliasDeleter } from '../../../../../../server/operations/registry/alias-setter';

export const DELETE = route({
  params: z.object({ id: uuidParam, alias: z.string().min(1).max(64) }),
  handler: ({ ctx, actor, params }) => aliasDeleter(ctx.db, actor, params.id, params.alias),
});
