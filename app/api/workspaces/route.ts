import { workspaceCreateRequestSchema } from '../../../core/contracts/api/workspaces';
import { route } from '../../../server/http/route';
import { workspaceCreator } from '../../../server/operations/workspaces/workspace-creator';
import { workspaceLister } from '../../../server/operations/workspaces/workspace-lister';
import { userIdOf } from '../../../server/policies/authorize';

export const dynamic = 'force-dynamic';
export const GET = route({ handler: async ({ ctx, actor }) => ({ workspaces: await workspaceLister(ctx.db, userIdOf(actor)) }) });
export const POST = route({
  body: workspaceCreateRequestSchema,
  status: 201,
  handler: async ({ ctx, actor, body }) => {
    const ws = await workspaceCreator(ctx.db, { userId: userIdOf(actor), name: body.name, slug: body.slug });
    return { id: ws.id, slug: ws.slug, name: ws.name, role: ws.role, approver: ws.approver };
  },
});
