import { TRAINING_TAG } from '../../core/contracts/messages/training';
import { RETRAIN_TAG } from '../../core/contracts/api/device';
import type { Actor } from '../auth/actor';
import { forbidden } from '../errors';

// What a job token reaches inside the kernel helper API: the runs its own kernel created, the
// executions and the training it was handed out for. Its user's role is checked as well, every time
// (server/policies/authorize.ts): the token acts for that user, it does not carry their authority.

type JobActor = Extract<Actor, { kind: 'job' }>;

/** Throws unless a job token may create a run for this execution with these tags. */
export function assertRunCreationInScope(
  actor: JobActor,
  input: { executionId: string; kernelId?: string; tags?: Record<string, string> },
): void {
  if (input.kernelId !== undefined && actor.kernelId !== null && input.kernelId !== actor.kernelId)
    throw forbidden('this job token serves another kernel');
  const training = input.tags?.[TRAINING_TAG];
  const alert = input.tags?.[RETRAIN_TAG];
  if (actor.trainingId) {
    // A training's executions are numbered by the worker running each attempt; the training is the scope.
    if (training !== undefined && training !== actor.trainingId) throw forbidden('this job token serves another training');
  } else {
    if (!actor.executionIds.includes(input.executionId)) throw forbidden('this job token does not serve that execution');
    if (training !== undefined) throw forbidden('only a training’s own job token logs into a training’s run');
  }
  if (alert !== undefined && alert !== actor.driftAlertId) throw forbidden('only the retraining of that drift alert may link a run to it');
}

/**
 * Throws unless the run belongs to this job token's kernel: the kernel session's active run, which
 * every cell of that kernel logs into whoever ran it, or a run this very token created.
 */
export function assertRunInScope(
  actor: JobActor,
  run: { notebookId: string | null; jobTokenId: string | null; kernelId: string | null },
): void {
  if (run.notebookId !== actor.notebookId) throw forbidden('this job token belongs to another notebook');
  const sameKernel = actor.kernelId !== null && run.kernelId === actor.kernelId;
  if (!sameKernel && run.jobTokenId !== actor.tokenId)
    throw forbidden('this run belongs to another kernel: a job token reaches only its own kernel’s runs');
}

/** Throws unless the job token serves this execution (a training's token serves every attempt's cells). */
export function assertCellInScope(actor: JobActor, executionId: string): void {
  if (!actor.trainingId && !actor.executionIds.includes(executionId)) throw forbidden('this job token does not serve that execution');
}

/** Throws unless the job token was handed out for this training. */
export function assertTrainingInScope(actor: Actor, training: { id: string; notebookId: string }): JobActor {
  if (actor.kind !== 'job' || actor.trainingId !== training.id || actor.notebookId !== training.notebookId)
    throw forbidden('only the training’s own job token reaches it');
  return actor;
}
