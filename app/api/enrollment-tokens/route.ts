import { enrollmentTokenCreateSchema } from '../../../core/contracts/api/device';
import { route } from '../../../server/http/route';
import { enrollmentTokenCreator } from '../../../server/operations/fleet/enrollment';

export const POST = route({
  body: enrollmentTokenCreateSchema,
  status: 201,
  handler: ({ ctx, actor, body }) => enrollmentTokenCreator(ctx.db, actor, body),
});
