import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { trainingProgressSchema, TrainingCheckpoint } from '../../../core/contracts/messages/training';
import type { Db } from '../../../drizzle/client';
import { trainingJobs } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { AppError, notFound } from '../../errors';
import { authorizeNotebook } from '../../policies/authorize';
import { assertTrainingInScope } from '../../policies/job-scope';
import { trainingTokenRenewer } from '../identity/job-tokens';
import type { ArtifactStore } from '../../store/artifact-store';

// What a training's kernel reports and keeps through the helper API, with its job-scoped token:
// progress after each epoch, and checkpoints (weights after N epochs) that a resumed attempt loads.

/** The training of the actor's own job token, if the user who queued it may still do `action` in its notebook. */
async function trainingOfJob(db: Db, actor: Actor, trainingId: string, action: 'run.read' | 'run.log' = 'run.log') {
  const [row] = await db.select().from(trainingJobs).where(eq(trainingJobs.id, trainingId));
  if (!row) throw notFound('training');
  const job = assertTrainingInScope(actor, row);
  await authorizeNotebook(db, job, row.notebookId, action);
  return { row, job };
}

/** The worker's look before an attempt, and its heartbeat during one: each renews the training's token. */
export async function trainingStatusForJob(db: Db, actor: Actor, trainingId: string) {
  const { row, job } = await trainingOfJob(db, actor, trainingId, 'run.read');
  const tokenExpiresAt = await trainingTokenRenewer(db, job.tokenId);
  return { id: row.id, status: row.status, attempts: row.attempts, checkpoint: row.checkpoint, tokenExpiresAt };
}

export async function trainingProgressReporter(db: Db, actor: Actor, trainingId: string, progress: z.infer<typeof trainingProgressSchema>) {
  const { job } = await trainingOfJob(db, actor, trainingId);
  await trainingTokenRenewer(db, job.tokenId);
  await db
    .update(trainingJobs)
    .set({ progress: { ...progress, at: new Date().toISOString() } })
    .where(eq(trainingJobs.id, trainingId));
  return { ok: true };
}

export async function checkpointSaver(db: Db, store: ArtifactStore, actor: Actor, trainingId: string, checkpoint: TrainingCheckpoint) {
  await trainingOfJob(db, actor, trainingId);
  const { sha256, size } = await store.put(new TextEncoder().encode(JSON.stringify(checkpoint)));
  await db
    .update(trainingJobs)
    .set({ checkpoint: { epoch: checkpoint.epoch, sha256, size, at: new Date().toISOString() } })
    .where(eq(trainingJobs.id, trainingId));
  return { epoch: checkpoint.epoch, sha256 };
}

/** The latest checkpoint's weights, or null when the training has none yet (a first attempt). */
export async function checkpointLoader(db: Db, store: ArtifactStore, actor: Actor, trainingId: string): Promise<TrainingCheckpoint | null> {
  const { row } = await trainingOfJob(db, actor, trainingId);
  const ref = row.checkpoint as { sha256: string } | null;
  if (!ref) return null;
  const bytes = await store.get(ref.sha256);
  if (!bytes) throw new AppError('NOT_FOUND', `checkpoint ${ref.sha256} is missing from the artifact store`);
  return JSON.parse(new TextDecoder().decode(bytes)) as TrainingCheckpoint;
}
