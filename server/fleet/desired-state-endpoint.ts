import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveActor } from '../auth/credentials';
import type { AppContext } from '../context';
import { unauthenticated } from '../errors';
import { errorResponse } from '../http/route';
import { desiredStateReader } from '../operations/fleet/device-sync';
import { assertCredentialReaches } from '../policies/credential-scope';
import { loadSigningKey } from './signing-key';

export const DESIRED_STATE_PATH = '/api/device/desired-state';

/**
 * GET /api/device/desired-state, served on the HTTP server itself rather than through Next.js: every
 * device polls it every few seconds, so it is the hottest route by far and Next's request handling
 * would cost more than the answer. Same shape as a route: resolve the caller → operation → present.
 */
export async function handleDesiredState(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: Response;
  try {
    const actor = await resolveActor(ctx.db, { authorization: req.headers.authorization ?? null, cookie: req.headers.cookie ?? null });
    if (actor.kind === 'anonymous') throw unauthenticated();
    assertCredentialReaches(actor, DESIRED_STATE_PATH);
    const { state, etag } = await desiredStateReader(ctx.db, loadSigningKey(ctx.env.dataDir), actor);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' }).end(JSON.stringify(state));
    return;
  } catch (error) {
    response = errorResponse(error, ctx);
  }
  res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
}
