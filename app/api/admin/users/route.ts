import { adminUserCreateSchema } from '../../../../core/contracts/api/admin';
import { adminRoute } from '../../../../server/http/admin-route';
import { adminUserCreator } from '../../../../server/operations/identity/admin-user-creator';

export const POST = adminRoute({
  body: adminUserCreateSchema,
  status: 201,
  handler: async ({ ctx, body }) => {
    const r = await adminUserCreator(ctx.db, body);
    return { user: { id: r.user.id, email: r.user.email }, workspace: r.workspace, role: r.role, approver: r.approver };
  },
});
