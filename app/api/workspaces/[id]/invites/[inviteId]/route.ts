import { z } from 'zod';
import { route, uuidParam } from '../../../../../../server/http/route';
import { inviteRevoker } from '../../../../../../server/operations/workspaces/invites';

export const DELETE = route({
  params: z.object({ id: uuidParam, inviteId: uuidParam }),
  handler: async ({ ctx, actor, params }) => ({
    invite: await inviteRevoker(ctx.db, actor, { workspaceId: params.id, inviteId: params.inviteId }),
  }),
});
