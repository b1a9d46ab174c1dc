import { signInRequestSchema } from '../../../../core/contracts/api/auth';
import { route } from '../../../../server/http/route';
import { sessionCookie } from '../../../../server/http/session-cookie';
import { sessionOpener } from '../../../../server/operations/identity/session-opener';

export const POST = route({
  auth: 'public',
  body: signInRequestSchema,
  handler: async ({ ctx, body, request }) => {
    const { user, secret, expiresAt } = await sessionOpener(ctx.db, { ...body, days: ctx.env.FERRY_SESSION_DAYS });
    return Response.json(
      { user: { id: user.id, email: user.email, name: user.name } },
      { headers: { 'set-cookie': sessionCookie(secret, expiresAt, request) } },
    );
  },
});
