import { z } from 'zod';
import { kernelRunCellSchema } from '../../../../../../core/contracts/api/kernel-runs';
import { route, uuidParam } from '../../../../../../server/http/route';
import { runCellAttacher } from '../../../../../../server/operations/tracking/run-creator';

// A cell execution logs into the kernel's active run: the run records the cell, its source and who ran it.
export const POST = route({
  params: z.object({ id: uuidParam }),
  body: kernelRunCellSchema,
  status: 201,
  handler: ({ ctx, actor, params, body }) => runCellAttacher(ctx.db, actor, params.id, body),
});
