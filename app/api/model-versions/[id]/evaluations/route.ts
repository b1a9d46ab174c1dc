import { z } from 'zod';
import { evaluationRequestSchema } from '../../../../../core/contracts/api/registry-review';
import { route, uuidParam } from '../../../../../server/http/route';
import { evaluationRecorder } from '../../../../../server/operations/registry/evaluation-recorder';

export const dynamic = 'force-dynamic';
export const POST = route({
  params: z.object({ id: uuidParam }),
  body: evaluationRequestSchema,
  status: 201,
  handler: ({ ctx, actor, params, body }) => evaluationRecorder(ctx.db, actor, params.id, body),
});
