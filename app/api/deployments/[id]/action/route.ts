import { z } from 'zod';
import { deploymentActionSchema } from '../../../../../core/contracts/api/device';
import { route, uuidParam } from '../../../../../server/http/route';
import { deploymentController } from '../../../../../server/operations/fleet/deployment-controller';

export const POST = route({
  params: z.object({ id: uuidParam }),
  body: deploymentActionSchema,
  handler: async ({ ctx, actor, params, body }) => ({ deployment: await deploymentController(ctx.db, actor, params.id, body.action) }),
});
