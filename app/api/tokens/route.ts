import { tokenCreateRequestSchema } from '../../../core/contracts/api/auth';
import { route } from '../../../server/http/route';
import { tokenCreator, tokenLister } from '../../../server/operations/identity/token-creator';
import { userIdOf } from '../../../server/policies/authorize';

export const dynamic = 'force-dynamic';
export const GET = route({ handler: async ({ ctx, actor }) => ({ tokens: await tokenLister(ctx.db, userIdOf(actor)) }) });
export const POST = route({
  body: tokenCreateRequestSchema,
  status: 201,
  handler: ({ ctx, actor, body }) => tokenCreator(ctx.db, { userId: userIdOf(actor), ...body }),
});
