import { loadSigningKey } from '../../../../server/fleet/signing-key';
import { route } from '../../../../server/http/route';

export const GET = route({
  auth: 'public',
  handler: async ({ ctx }) => ({ alg: 'ed25519', publicKey: loadSigningKey(ctx.env.dataDir).publicKeyPem }),
});
