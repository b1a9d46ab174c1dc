import { signUpRequestSchema } from '../../../core/contracts/api/workspaces';
import { route } from '../../../server/http/route';
import { sessionCookie } from '../../../server/http/session-cookie';
import { sessionOpener } from '../../../server/operations/identity/session-opener';
import { openSignUp } from '../../../server/operations/workspaces/invites';

// Open sign-up to a workspace that allows the email's domain; signs the new member in.
export const POST = route({
  auth: 'public',
  body: signUpRequestSchema,
  status: 201,
  handler: async ({ ctx, body, request }) => {
    const joined = await openSignUp(ctx.db, body);
    const { secret, expiresAt } = await sessionOpener(ctx.db, {
      email: joined.user.email,
      password: body.password,
      days: ctx.env.FERRY_SESSION_DAYS,
    });
    return Response.json(joined, { status: 201, headers: { 'set-cookie': sessionCookie(secret, expiresAt, request) } });
  },
});
