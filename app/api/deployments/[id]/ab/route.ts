import { z } from 'zod';
import { route, uuidParam } from '../../../../../server/http/route';
import { abComparisonReader } from '../../../../../server/operations/fleet/ab-comparison';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  handler: ({ ctx, actor, params }) => abComparisonReader(ctx.db, actor, params.id),
});
