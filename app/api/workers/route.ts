import { route } from '../../../server/http/route';
import { workerLister } from '../../../server/operations/fleet/worker-lister';

export const dynamic = 'force-dynamic';
export const GET = route({ handler: async ({ ctx, actor }) => ({ workers: workerLister(ctx, actor) }) });
