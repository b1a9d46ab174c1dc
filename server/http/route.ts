import { z, type ZodType } from 'zod';
import type { Actor } from '../auth/actor';
import { resolveActor } from '../auth/credentials';
import { currentContext, type AppContext } from '../context';
import { AppError, forbidden, infrastructureError, invalid, isAppError, retryAfterOf, statusOfError, unauthenticated } from '../errors';
import { assertCredentialReaches } from '../policies/credential-scope';
import { assertSafeJson } from './json-guard';
import { changesState, foreignOriginReason, mediaType } from './same-origin';

// The one shape every HTTP route takes: resolve the caller → validate → run a named operation → present.
// Authorisation itself is the operation's first step (server/policies), never the route's.

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  actor: Actor;
  ctx: AppContext;
  request: Request;
}

export interface RouteDef<B, Q, P, O> {
  /** 'public' routes run for anonymous callers too; others need a signed-in user, token or device. */
  auth?: 'public' | 'signed-in';
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  status?: number;
  maxBodyBytes?: number;
  /** Media types a raw-body route reads itself (dataset upload); every other route takes application/json. */
  bodyTypes?: readonly string[];
  handler: (input: RouteInput<B, Q, P>) => Promise<O | Response>;
}

export function route<B = undefined, Q = undefined, P = undefined, O = unknown>(def: RouteDef<B, Q, P, O>) {
  return async (request: Request, routeParams?: RouteParams): Promise<Response> => {
    let ctx: AppContext | undefined;
    try {
      ctx = currentContext();
      // Body type and origin first (no database needed), then the caller: an anonymous or foreign
      // request is refused before a byte of its body is read.
      guardStateChange(request, def.bodyTypes ?? JSON_ONLY, ctx.env.FERRY_PUBLIC_URL);
      const actor = await resolveActor(ctx.db, {
        authorization: request.headers.get('authorization'),
        cookie: request.headers.get('cookie'),
      });
      if (def.auth !== 'public' && actor.kind === 'anonymous') throw unauthenticated();
      const url = new URL(request.url);
      assertCredentialReaches(actor, url.pathname);
      const query = def.query ? parse(def.query, Object.fromEntries(url.searchParams), 'query') : (undefined as Q);
      const params = def.params ? parse(def.params, (await routeParams?.params) ?? {}, 'path') : (undefined as P);
      const limit = def.maxBodyBytes ?? ctx.env.FERRY_MAX_BODY_BYTES;
      const body = def.body ? parse(def.body, await readJson(request, limit), 'body') : (undefined as B);
      const result = await def.handler({ body, query, params, actor, ctx, request });
      if (result instanceof Response) return result;
      return Response.json(result ?? {}, { status: def.status ?? 200 });
    } catch (error) {
      return errorResponse(error, ctx);
    }
  };
}

const JSON_ONLY = ['application/json'] as const;

/**
 * POST/PUT/PATCH/DELETE: a body must be one of the route's media types (415), so a cross-site form or
 * text/plain post cannot pass as JSON; and a browser request without a bearer token (the cookie kind)
 * must come from this server's own origin (403). Token clients send no cookie and are not forgeable.
 */
export function guardStateChange(request: Request, bodyTypes: readonly string[], publicUrl: string | undefined): void {
  if (!changesState(request.method)) return;
  const header = (name: string) => request.headers.get(name);
  if (!/^Bearer\s/i.test(header('authorization') ?? '')) {
    const foreign = foreignOriginReason(header, publicUrl);
    if (foreign) throw forbidden(foreign);
  }
  const hasBody = Number(header('content-length') ?? '0') > 0 || header('transfer-encoding') !== null || header('content-type') !== null;
  const type = mediaType(header('content-type'));
  if (hasBody && !bodyTypes.includes(type))
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `this endpoint takes ${bodyTypes.join(' or ')} bodies, not ${type || 'a body without content-type'}`,
    );
}

export function errorResponse(error: unknown, ctx?: AppContext): Response {
  const known = isAppError(error) ? error : infrastructureError(error);
  if (known) {
    const status = statusOfError(known);
    const retryAfter = retryAfterOf(known) ?? (status === 503 ? 5 : null);
    return Response.json(
      { error: { code: known.code, message: known.message, details: known.details } },
      { status, headers: retryAfter ? { 'retry-after': String(retryAfter) } : undefined },
    );
  }
  ctx?.log.error('unhandled error in route', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return Response.json({ error: { code: 'INTERNAL', message: 'internal error; the server log has the details' } }, { status: 500 });
}

function parse<T>(schema: ZodType<T>, value: unknown, where: string): T {
  assertSafeJson(value, where);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  throw invalid(`invalid ${where}: ${summary}`, issues);
}

async function readJson(request: Request, limit: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new AppError('PAYLOAD_TOO_LARGE', `request body is ${declared} bytes; the limit is ${limit}`);
  const text = await readTextBounded(request, limit);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(`malformed JSON body: ${(e as Error).message}`);
  }
}

export async function readTextBounded(request: Request, limit: number): Promise<string> {
  return Buffer.from(await readBytesBounded(request, limit)).toString('utf8');
}

/** The raw request body, refused with 413 as soon as it passes `limit` (never buffered past it). */
export async function readBytesBounded(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

export const uuidParam = z.string().uuid({ message: 'must be a UUID' });
