import { predictionStatsReportSchema } from '../../../../core/contracts/api/device';
import { route } from '../../../../server/http/route';
import { predictionStatsIngester } from '../../../../server/operations/fleet/prediction-stats';

export const POST = route({
  body: predictionStatsReportSchema,
  handler: ({ ctx, actor, body }) => predictionStatsIngester(ctx.db, actor, body),
});
