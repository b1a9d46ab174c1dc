import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { tokenRevoker } from '../../../../server/operations/identity/token-creator';
import { userIdOf } from '../../../../server/policies/authorize';

export const DELETE = route({
  params: z.object({ id: uuidParam }),
  handler: async ({ ctx, actor, params }) => {
    await tokenRevoker(ctx.db, { userId: userIdOf(actor), tokenId: params.id });
    return { revoked: true };
  },
});
