import { adminTokenCreateSchema } from '../../../../core/contracts/api/admin';
import { adminRoute } from '../../../../server/http/admin-route';
import { tokenForEmail } from '../../../../server/operations/identity/token-creator';

export const POST = adminRoute({ body: adminTokenCreateSchema, status: 201, handler: ({ ctx, body }) => tokenForEmail(ctx.db, body) });
