import { z } from 'zod';
import { trainingCheckpointSchema } from '../../../../../../core/contracts/messages/training';
import { route, uuidParam } from '../../../../../../server/http/route';
import { checkpointLoader, checkpointSaver } from '../../../../../../server/operations/training/training-checkpoints';

export const dynamic = 'force-dynamic';
const params = z.object({ id: uuidParam });
export const GET = route({
  params,
  handler: async ({ ctx, actor, params }) => ({ checkpoint: await checkpointLoader(ctx.db, ctx.artifacts, actor, params.id) }),
});
export const POST = route({
  params,
  body: trainingCheckpointSchema,
  maxBodyBytes: 256 * 1024 * 1024,
  status: 201,
  handler: ({ ctx, actor, params, body }) => checkpointSaver(ctx.db, ctx.artifacts, actor, params.id, body),
});
