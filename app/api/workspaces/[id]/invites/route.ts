import { z } from 'zod';
import { inviteCreateRequestSchema } from '../../../../../core/contracts/api/workspaces';
import { route, uuidParam } from '../../../../../server/http/route';
import { inviteMailer } from '../../../../../server/mail/invite-mailer';
import { inviteCreator, inviteLister, inviteUrl } from '../../../../../server/operations/workspaces/invites';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => ({ invites: await inviteLister(ctx.db, actor, params.id) }),
});
// The link is shown once, in this answer (and mailed when FERRY_SMTP_URL is set).
export const POST = route({
  params,
  body: inviteCreateRequestSchema,
  status: 201,
  handler: async ({ ctx, actor, params, body, request }) => {
    const { invite, secret, workspaceName, invitedBy } = await inviteCreator(ctx.db, actor, { workspaceId: params.id, ...body });
    const url = inviteUrl(ctx.env.FERRY_PUBLIC_URL ?? new URL(request.url).origin, secret);
    const mail = await inviteMailer(ctx.env.FERRY_SMTP_URL, ctx.env.FERRY_SMTP_FROM, {
      to: invite.email,
      url,
      workspaceName,
      role: invite.role,
      invitedBy,
    });
    return { invite, url, mail };
  },
});
