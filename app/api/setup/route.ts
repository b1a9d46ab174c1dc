import { setupRequestSchema } from '../../../core/contracts/api/auth';
import { route } from '../../../server/http/route';
import { sessionCookie } from '../../../server/http/session-cookie';
import { firstOwnerSetup } from '../../../server/operations/identity/first-owner-setup';
import { sessionOpener } from '../../../server/operations/identity/session-opener';
import { userCount } from '../../../server/operations/identity/user-creator';

export const dynamic = 'force-dynamic';

export const GET = route({ auth: 'public', handler: async ({ ctx }) => ({ needsSetup: (await userCount(ctx.db)) === 0 }) });

export const POST = route({
  auth: 'public',
  body: setupRequestSchema,
  handler: async ({ ctx, body, request }) => {
    const { user, workspace } = await firstOwnerSetup(ctx.db, body);
    const session = await sessionOpener(ctx.db, { email: body.email, password: body.password, days: ctx.env.FERRY_SESSION_DAYS });
    return Response.json(
      {
        user: { id: user.id, email: user.email, name: user.name },
        workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
      },
      { status: 201, headers: { 'set-cookie': sessionCookie(session.secret, session.expiresAt, request) } },
    );
  },
});
