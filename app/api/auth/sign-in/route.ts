import { signInRequestSchema } from '../../../../core/contracts/api/auth';
import { clientAddress } from '../../../../server/http/client-address';
import { route } from '../../../../server/http/route';
import { sessionCookie } from '../../../../server/http/session-cookie';
import { sessionOpener } from '../../../../server/operations/identity/session-opener';

export const POST = route({
  auth: 'public',
  body: signInRequestSchema,
  handler: async ({ ctx, body, request }) => {
    const { env } = ctx;
    const guard = {
      ips: ctx.signInFailures,
      ip: clientAddress(request),
      limits: {
        maxFailures: env.FERRY_SIGNIN_MAX_FAILURES,
        windowMs: env.FERRY_SIGNIN_WINDOW_MINUTES * 60_000,
        lockMs: env.FERRY_SIGNIN_LOCK_MINUTES * 60_000,
        ipMaxFailures: env.FERRY_SIGNIN_IP_MAX_FAILURES,
      },
    };
    const { user, secret, expiresAt } = await sessionOpener(ctx.db, { ...body, days: env.FERRY_SESSION_DAYS, guard });
    return Response.json(
      { user: { id: user.id, email: user.email, name: user.name } },
      { headers: { 'set-cookie': sessionCookie(secret, expiresAt, request) } },
    );
  },
});
