import { enrollRequestSchema, type EnrollResponse } from '../../../../core/contracts/api/device';
import { loadSigningKey } from '../../../../server/fleet/signing-key';
import { route } from '../../../../server/http/route';
import { deviceEnroller } from '../../../../server/operations/fleet/enrollment';

export const POST = route({
  auth: 'public',
  body: enrollRequestSchema,
  status: 201,
  handler: async ({ ctx, body }): Promise<EnrollResponse> => ({
    ...(await deviceEnroller(ctx.db, body)),
    signingKey: loadSigningKey(ctx.env.dataDir).publicKeyPem,
  }),
});
