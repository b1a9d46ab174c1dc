import { route } from '../../../server/http/route';
import { healthReporter } from '../../../server/operations/health-reporter';

export const dynamic = 'force-dynamic';
export const GET = route({
  auth: 'public',
  handler: async ({ ctx }) => {
    const health = healthReporter(ctx);
    // 503 takes a degraded instance out of a load balancer's rotation until it recovers.
    return health.status === 'ok' ? health : Response.json(health, { status: 503, headers: { 'retry-after': '5' } });
  },
});
