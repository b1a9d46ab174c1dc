import { parseCookie, SESSION_COOKIE } from '../../../../server/auth/credentials';
import { route } from '../../../../server/http/route';
import { clearedSessionCookie } from '../../../../server/http/session-cookie';
import { sessionCloser } from '../../../../server/operations/identity/session-opener';

export const POST = route({
  auth: 'public',
  handler: async ({ ctx, request }) => {
    const secret = parseCookie(request.headers.get('cookie'), SESSION_COOKIE);
    if (secret) await sessionCloser(ctx.db, secret);
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedSessionCookie() } });
  },
});
