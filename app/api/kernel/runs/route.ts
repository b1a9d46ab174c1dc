import { kernelRunCreateSchema } from '../../../../core/contracts/api/kernel-runs';
import { route } from '../../../../server/http/route';
import { runCreator } from '../../../../server/operations/tracking/run-creator';

export const POST = route({
  body: kernelRunCreateSchema,
  status: 201,
  handler: async ({ ctx, actor, body }) => {
    const run = await runCreator(ctx.db, actor, body);
    return { runId: run.id, name: run.name };
  },
});
