import { deploymentCreateSchema, deploymentListQuerySchema } from '../../../core/contracts/api/device';
import { route } from '../../../server/http/route';
import { deploymentCreator } from '../../../server/operations/fleet/deployment-creator';
import { deploymentLister } from '../../../server/operations/fleet/deployment-lister';

export const dynamic = 'force-dynamic';
export const GET = route({
  query: deploymentListQuerySchema,
  handler: async ({ ctx, actor, query }) => ({ deployments: await deploymentLister(ctx.db, actor, query.workspaceId, query.group) }),
});
export const POST = route({
  body: deploymentCreateSchema,
  status: 201,
  handler: async ({ ctx, actor, body }) => ({ deployment: await deploymentCreator(ctx.db, actor, body) }),
});
