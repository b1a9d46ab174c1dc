import { z } from 'zod';
import { aliasSetSchema } from '../../../../../core/contracts/api/device';
import { route, uuidParam } from '../../../../../server/http/route';
import { aliasLister, aliasSetter } from '../../../../../server/operations/registry/alias-setter';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: async ({ ctx, actor, params }) => ({ aliases: await aliasLister(ctx.db, actor, params.id) }),
});
export const POST = route({
  params: z.object({ id: uuidParam }),
  body: aliasSetSchema,
  handler: ({ ctx, actor, params, body }) => aliasSetter(ctx.db, actor, params.id, body),
});
