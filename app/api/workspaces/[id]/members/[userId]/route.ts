import { z } from 'zod';
import { memberUpdateRequestSchema } from '../../../../../../core/contracts/api/workspaces';
import { route, uuidParam } from '../../../../../../server/http/route';
import { memberRemover, memberUpdater } from '../../../../../../server/operations/workspaces/members';

const params = z.object({ id: uuidParam, userId: uuidParam });
export const PATCH = route({
  params,
  body: memberUpdateRequestSchema,
  handler: async ({ ctx, actor, params, body }) => {
    const member = await memberUpdater(ctx.db, actor, { workspaceId: params.id, userId: params.userId, ...body });
    await ctx.collab.accessChanged(params.userId);
    return member;
  },
});
export const DELETE = route({
  params,
  handler: async ({ ctx, actor, params }) => {
    await memberRemover(ctx.db, actor, { workspaceId: params.id, userId: params.userId });
    await ctx.collab.accessChanged(params.userId);
    return { removed: true };
  },
});
