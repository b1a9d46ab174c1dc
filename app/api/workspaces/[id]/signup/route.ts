import { z } from 'zod';
import { signupSettingsRequestSchema } from '../../../../../core/contracts/api/workspaces';
import { route, uuidParam } from '../../../../../server/http/route';
import { signupSettingsUpdater } from '../../../../../server/operations/workspaces/invites';

// Open sign-up for one email domain; off (null) by default.
export const PUT = route({
  params: z.object({ id: uuidParam }),
  body: signupSettingsRequestSchema,
  handler: ({ ctx, actor, params, body }) => signupSettingsUpdater(ctx.db, actor, { workspaceId: params.id, ...body }),
});
