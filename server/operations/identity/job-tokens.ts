import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { serverSettings } from '../../env';
import type { Db } from '../../../drizzle/client';
import { apiTokens, cellExecutions, trainingJobs } from '../../../drizzle/schema';
import { newSecret } from '../../auth/secrets';

// Job tokens are kernel credentials: minted for one notebook's kernel and the work it serves, put
// into the job and nowhere else, and revoked as soon as that work ends. Their expiry is only a
// backstop for an end the server never heard of.

/** Backstop for cells: the longest they may plausibly wait in a shared kernel's queue and run. */
export const CELL_TOKEN_TTL_MS = 24 * 3600_000;
/** A queued training's token waits with it: no kernel holds it until a worker starts an attempt. */
export const TRAINING_QUEUE_TTL_MS = 7 * 24 * 3600_000;
/** A running training's token lives this long past its last heartbeat (the worker renews it). */
export const TRAINING_TOKEN_TTL_MS = serverSettings().FERRY_TRAINING_TOKEN_TTL_MS;

export interface JobTokenScope {
  notebookId: string;
  kernelId?: string;
  executionIds?: string[];
  trainingId?: string;
  driftAlertId?: string;
}

/** Mints a job token for one kernel's work; the secret goes into the job, never to a user. */
export async function jobTokenCreator(db: Db, input: { userId: string; scope: JobTokenScope; ttlMs: number }): Promise<string> {
  const { secret, hash, display } = newSecret('fjob');
  await db.insert(apiTokens).values({
    kind: 'job',
    userId: input.userId,
    notebookId: input.scope.notebookId,
    kernelId: input.scope.kernelId ?? null,
    executionIds: input.scope.executionIds ?? null,
    trainingId: input.scope.trainingId ?? null,
    driftAlertId: input.scope.driftAlertId ?? null,
    name: 'kernel job',
    prefix: display,
    tokenHash: hash,
    expiresAt: new Date(Date.now() + input.ttlMs),
  });
  return secret;
}

const live = and(eq(apiTokens.kind, 'job'), isNull(apiTokens.revokedAt));

/**
 * An execution ended: revokes the tokens serving it once none of their executions is queued or
 * running any more (run-all hands one token to many cells; it lives until the last one ends).
 */
export async function endedExecutionTokenRevoker(db: Db, executionId: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(
        live,
        sql`${apiTokens.executionIds} @> array[${executionId}::uuid]`,
        sql`not exists (select 1 from ${cellExecutions} where ${cellExecutions.id} = any(${apiTokens.executionIds}) and ${cellExecutions.status} in ('queued', 'running'))`,
      ),
    );
}

/**
 * A notebook's interactive kernel restarts or shuts down: every token handed to it dies with its
 * variables. Retrainings (they answer a drift alert) and trainings run on kernels of their own.
 */
export async function notebookKernelTokenRevoker(db: Db, notebookId: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(live, eq(apiTokens.notebookId, notebookId), isNull(apiTokens.trainingId), isNull(apiTokens.driftAlertId)));
}

/** A detached kernel (a retraining's) was shut down: the tokens handed to it end. */
export async function kernelTokenRevoker(db: Db, kernelId: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(live, eq(apiTokens.kernelId, kernelId)));
}

/** A training ended (succeeded, failed, cancelled, given up): its token ends with it. */
export async function trainingTokenRevoker(db: Db, trainingId: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(live, eq(apiTokens.trainingId, trainingId)));
}

/** An attempt started: from now on a kernel holds the token, so it lives only as long as heartbeats renew it. */
export async function trainingTokenStarter(db: Db, trainingId: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ expiresAt: new Date(Date.now() + TRAINING_TOKEN_TTL_MS) })
    .where(and(live, eq(apiTokens.trainingId, trainingId)));
}

/** A heartbeat of a live training (its worker is about to run or runs it): its token lives another TTL. Returns the expiry. */
export async function trainingTokenRenewer(db: Db, tokenId: string): Promise<Date | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ expiresAt: new Date(Date.now() + TRAINING_TOKEN_TTL_MS) })
    .where(and(live, eq(apiTokens.id, tokenId)))
    .returning({ expiresAt: apiTokens.expiresAt });
  return row?.expiresAt ?? null;
}

/**
 * A worker is gone: the trainings it ran wait in the queue for another one, however long that takes,
 * so their tokens get the queue's lifetime again (the next attempt's start shortens it).
 */
export async function requeuedTrainingTokenExtender(db: Db, workerId: string): Promise<void> {
  const running = db
    .select({ id: trainingJobs.id })
    .from(trainingJobs)
    .where(and(eq(trainingJobs.workerId, workerId), eq(trainingJobs.status, 'running')));
  await db
    .update(apiTokens)
    .set({ expiresAt: new Date(Date.now() + TRAINING_QUEUE_TTL_MS) })
    .where(and(live, inArray(apiTokens.trainingId, running)));
}
