import { loadSigningKey } from '../../../../server/fleet/signing-key';
import { route } from '../../../../server/http/route';
import { desiredStateReader } from '../../../../server/operations/fleet/device-sync';

export const dynamic = 'force-dynamic';
export const GET = route({
  handler: async ({ ctx, actor, request }) => {
    const { state, etag } = await desiredStateReader(ctx.db, loadSigningKey(ctx.env.dataDir), actor);
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    return Response.json(state, { headers: { etag, 'cache-control': 'no-cache' } });
  },
});
