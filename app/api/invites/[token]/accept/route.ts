import { z } from 'zod';
import { inviteAcceptRequestSchema } from '../../../../../core/contracts/api/workspaces';
import { route } from '../../../../../server/http/route';
import { sessionCookie } from '../../../../../server/http/session-cookie';
import { sessionOpener } from '../../../../../server/operations/identity/session-opener';
import { inviteAccepter } from '../../../../../server/operations/workspaces/invites';

// Accepting makes the account and membership, then signs the new member in.
export const POST = route({
  auth: 'public',
  params: z.object({ token: z.string().min(10).max(200) }),
  body: inviteAcceptRequestSchema,
  handler: async ({ ctx, actor, params, body, request }) => {
    const joined = await inviteAccepter(ctx.db, actor, params.token, body);
    if (actor.kind === 'user') return Response.json(joined, { status: 201 });
    const { secret, expiresAt } = await sessionOpener(ctx.db, {
      email: joined.user.email,
      password: body.password,
      days: ctx.env.FERRY_SESSION_DAYS,
    });
    return Response.json(joined, { status: 201, headers: { 'set-cookie': sessionCookie(secret, expiresAt, request) } });
  },
});
