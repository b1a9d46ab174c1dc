import type { ZodType } from 'zod';
import { safeEqual } from '../auth/secrets';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { route } from './route';

/**
 * Routes for the local admin CLI while the server holds the embedded database: allowed only with the
 * per-start admin key the server wrote (mode 0600) into its data directory.
 */
export function adminRoute<B, O>(def: { body: ZodType<B>; status?: number; handler: (input: { ctx: AppContext; body: B }) => Promise<O> }) {
  return route({
    auth: 'public',
    body: def.body,
    status: def.status,
    handler: async ({ ctx, body, request }) => {
      const key = request.headers.get('x-ferry-admin-key') ?? '';
      if (!key || !safeEqual(key, ctx.adminKey)) throw new AppError('FORBIDDEN', 'admin routes need the local admin key');
      return def.handler({ ctx, body });
    },
  });
}
