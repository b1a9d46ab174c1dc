import { z } from 'zod';
import { route } from '../../../../server/http/route';
import { metricChartReader } from '../../../../server/operations/tracking/run-queries';

// A metric of 1–10 runs downsampled (min, max, last per bucket) to the chart's width.
export const dynamic = 'force-dynamic';
export const GET = route({
  query: z.object({
    runIds: z
      .string()
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.string().uuid()).min(1).max(10, 'compare at most 10 runs')),
    key: z.string().min(1).max(250),
    width: z.coerce.number().int().min(10).max(4000).default(800),
  }),
  handler: ({ ctx, actor, query }) => metricChartReader(ctx.db, actor, query),
});
