import { z } from 'zod';
import { route } from '../../../../server/http/route';
import { invitePreviewer } from '../../../../server/operations/workspaces/invites';

export const dynamic = 'force-dynamic';
// What the invite page shows: whose workspace, which email, which role.
export const GET = route({
  auth: 'public',
  params: z.object({ token: z.string().min(10).max(200) }),
  handler: ({ ctx, params }) => invitePreviewer(ctx.db, params.token),
});
