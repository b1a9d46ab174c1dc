import { z } from 'zod';
import { decisionRequestSchema } from '../../../../../core/contracts/api/registry';
import { route, uuidParam } from '../../../../../server/http/route';
import { versionDecider, versionDeployer } from '../../../../../server/operations/registry/version-decisions';

export const POST = route({
  params: z.object({ id: uuidParam, decision: z.enum(['approve', 'reject', 'deploy']) }),
  body: decisionRequestSchema,
  handler: async ({ ctx, actor, params, body }) => {
    if (params.decision === 'deploy') return { deployment: await versionDeployer(ctx.db, actor, params.id) };
    const version = await versionDecider(ctx.db, actor, {
      versionId: params.id,
      decision: params.decision === 'approve' ? 'approved' : 'rejected',
      comment: body.comment,
    });
    return { id: version.id, status: version.status };
  },
});
