import { route } from '../../../server/http/route';
import { healthReporter } from '../../../server/operations/health-reporter';

export const dynamic = 'force-dynamic';
export const GET = route({ auth: 'public', handler: ({ ctx }) => healthReporter(ctx) });
