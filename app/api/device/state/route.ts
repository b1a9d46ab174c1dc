import { deviceStateReportSchema } from '../../../../core/contracts/api/device';
import { route } from '../../../../server/http/route';
import { deviceStateReporter } from '../../../../server/operations/fleet/device-sync';

export const POST = route({ body: deviceStateReportSchema, handler: ({ ctx, actor, body }) => deviceStateReporter(ctx.db, actor, body) });
