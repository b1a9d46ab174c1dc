import { assertNever } from '../../core/assert-never';
import type { Actor } from '../auth/actor';
import { forbidden } from '../errors';

// Which surfaces a kind of credential works on, decided once for every HTTP route, the MLflow API
// and the collaboration websocket. A job token lives inside a kernel, where any code that shares
// the kernel can read it: it must open nothing but the helper API that kernel needs.

export const KERNEL_API_PREFIX = '/api/kernel/';

/** Throws unless this credential may be used on this path: a job token works only on the kernel helper API. */
export function assertCredentialReaches(actor: Actor, pathname: string): void {
  switch (actor.kind) {
    case 'job':
      if (!pathname.startsWith(KERNEL_API_PREFIX))
        throw forbidden(`a job token is a kernel credential: it works only on the kernel helper API (${KERNEL_API_PREFIX}…)`);
      return;
    case 'user':
    case 'device':
    case 'anonymous':
      return;
    default:
      return assertNever(actor);
  }
}
