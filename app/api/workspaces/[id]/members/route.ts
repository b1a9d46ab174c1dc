import { z } from 'zod';
import { memberAddRequestSchema } from '../../../../../core/contracts/api/workspaces';
import { route, uuidParam } from '../../../../../server/http/route';
import { memberAdder, memberLister } from '../../../../../server/operations/workspaces/members';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => ({ members: await memberLister(ctx.db, actor, params.id) }),
});
export const POST = route({
  params,
  body: memberAddRequestSchema,
  status: 201,
  handler: async ({ ctx, actor, params, body }) => memberAdder(ctx.db, actor, { workspaceId: params.id, ...body }),
});
