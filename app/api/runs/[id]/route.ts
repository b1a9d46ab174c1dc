import { z } from 'zod';
import { route, uuidParam } from '../../../../server/http/route';
import { runGetter } from '../../../../server/operations/tracking/run-queries';

export const dynamic = 'force-dynamic';
export const GET = route({ params: z.object({ id: uuidParam }), handler: ({ ctx, actor, params }) => runGetter(ctx.db, actor, params.id) });
