import type { ZodType } from 'zod';
import { resolveActor } from '../auth/credentials';
import { currentContext, type AppContext } from '../context';
import { AppError, invalid, unauthenticated } from '../errors';
import { assertSafeJson } from '../http/json-guard';
import { readTextBounded } from '../http/route';
import { assertCredentialReaches } from '../policies/credential-scope';
import { workspaceFor } from '../operations/tracking/experiments';
import { mlflowError } from './mlflow-errors';
import { mlflowEndpoints } from './mlflow-handlers';

type RouteParams = { params: Promise<{ path?: string[] }> };

export const MLFLOW_PREFIX = '/api/2.0/mlflow/';

// /api/2.0/mlflow/<path>: MLflow's conventions (GET arguments in the query string, JSON bodies
// otherwise, unknown fields ignored, errors as {error_code, message}) in front of Ferry's operations.
// Authenticated with a Ferry API token (Authorization: Bearer …), as MLflow clients send it; never the cookie.

const ARRAY_ARGS = new Set(['order_by', 'experiment_ids', 'run_ids']);

function queryArgs(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    if (ARRAY_ARGS.has(key)) out[key] = [...((out[key] as string[] | undefined) ?? []), value];
    else out[key] = value;
  }
  return out;
}

async function bodyArgs(request: Request, limit: number): Promise<Record<string, unknown>> {
  const text = await readTextBounded(request, limit);
  if (text.trim() === '') return {};
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the body must be a JSON object');
    return json as Record<string, unknown>;
  } catch (error) {
    throw invalid(`malformed JSON body: ${(error as Error).message}`);
  }
}

function parse<T>(schema: ZodType<T>, value: unknown): T {
  assertSafeJson(value, 'request');
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
}

export async function mlflowHandler(request: Request, routeParams: RouteParams): Promise<Response> {
  let ctx: AppContext | undefined;
  const path = ((await routeParams.params).path ?? []).join('/');
  try {
    ctx = currentContext();
    const endpoint = mlflowEndpoints[`${request.method} ${path}`];
    if (!endpoint) {
      const other = Object.keys(mlflowEndpoints).find((k) => k.endsWith(` ${path}`));
      return Response.json(
        {
          error_code: 'ENDPOINT_NOT_FOUND',
          message: other ? `${path} takes ${other.split(' ')[0]}, not ${request.method}` : `no MLflow endpoint ${path} here`,
        },
        { status: other ? 405 : 404 },
      );
    }
    // Token only: without the browser cookie a foreign page cannot make these calls in a user's name.
    const actor = await resolveActor(ctx.db, { authorization: request.headers.get('authorization') });
    const url = new URL(request.url);
    assertCredentialReaches(actor, url.pathname);
    if (actor.kind !== 'user')
      throw actor.kind === 'anonymous'
        ? unauthenticated('pass a Ferry API token: Authorization: Bearer <token>')
        : new AppError('FORBIDDEN', 'the MLflow API takes user API tokens');
    const raw =
      request.method === 'GET' ? queryArgs(url) : { ...queryArgs(url), ...(await bodyArgs(request, ctx.env.FERRY_MAX_BODY_BYTES)) };
    const args = parse(endpoint.args, raw);
    const hint = request.headers.get('x-ferry-workspace');
    const db = ctx.db;
    let workspace: Promise<string> | undefined;
    const result = await endpoint.run({ ctx, actor, workspace: () => (workspace ??= workspaceFor(db, actor, hint)) }, args);
    return Response.json(result ?? {});
  } catch (error) {
    const mapped = mlflowError(error);
    if (mapped) return Response.json(mapped.body, { status: mapped.status });
    ctx?.log.error('unhandled error in the MLflow API', {
      path,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return Response.json({ error_code: 'INTERNAL_ERROR', message: 'internal error; the server log has the details' }, { status: 500 });
  }
}
