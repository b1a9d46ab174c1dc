import { route } from '../../../../server/http/route';
import { currentUser } from '../../../../server/operations/identity/current-user';

export const dynamic = 'force-dynamic';
export const GET = route({ handler: ({ ctx, actor }) => currentUser(ctx.db, actor) });
