import { driftReportSchema } from '../../../../core/contracts/api/device';
import { route } from '../../../../server/http/route';
import { driftReportIngester } from '../../../../server/operations/fleet/device-sync';

export const POST = route({ body: driftReportSchema, handler: ({ ctx, actor, body }) => driftReportIngester(ctx.db, actor, body) });
