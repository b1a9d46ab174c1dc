import { randomUUID } from 'node:crypto';
import { BusNoRespondersError, BusRequestError, BusTimeoutError, type Bus } from '../../core/bus/port';
import { kernelClaimReplySchema, type kernelControlSchema } from '../../core/contracts/messages/cell-execution';
import { subjects } from '../../core/contracts/subjects';
import type { z } from 'zod';
import { AppError } from '../errors';
import type { WorkerRegistry } from '../fleet/worker-registry';
import { canRun, whyNoWorker, type Needs } from '../../core/fleet/capability-match';
import type { Logger } from '../log';

// A kernel keeps a notebook's variables, so every cell of a notebook goes to the one worker holding it.

export interface KernelSession {
  kernelId: string;
  notebookId: string;
  workerId: string;
  backend: string;
}

export type KernelAction = z.infer<typeof kernelControlSchema>['action'];

export interface KernelSessions {
  /** The notebook's kernel, claimed on a worker that has what `needs` asks for (a GPU, a label). */
  ensure(notebookId: string, needs?: Needs): Promise<KernelSession>;
  /** A kernel of its own for background work (a retraining), apart from the notebook's live kernel. */
  claimDetached(notebookId: string): Promise<KernelSession>;
  shutdownDetached(session: KernelSession): Promise<void>;
  get(notebookId: string): KernelSession | undefined;
  forget(notebookId: string): void;
  control(notebookId: string, action: KernelAction): Promise<void>;
}

const CLAIM_TIMEOUT_MS = 30_000;

export function createKernelSessions(bus: Bus, workers: WorkerRegistry, log: Logger): KernelSessions {
  const byNotebook = new Map<string, KernelSession>();
  const claiming = new Map<string, Promise<KernelSession>>();

  /** Asks one worker (or, knowing none, any worker) for a kernel; undefined when it is full or silent. */
  async function ask(subject: string, kernelId: string, notebookId: string) {
    try {
      return kernelClaimReplySchema.parse(await bus.request(subject, { v: 1, kernelId, notebookId }, { timeoutMs: CLAIM_TIMEOUT_MS }));
    } catch (error) {
      if (error instanceof BusNoRespondersError || error instanceof BusTimeoutError || error instanceof BusRequestError) {
        log.warn('a worker did not take the kernel', { subject, error: (error as Error).message });
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Places a kernel on the worker with the most free slots (from heartbeats), trying the next one if
   * it turns out full; with no heartbeat yet, any worker may take it (queue group).
   */
  async function claim(notebookId: string, detached = false, needs: Needs = { gpu: false }): Promise<KernelSession> {
    const kernelId = randomUUID();
    const fleet = workers.list();
    const why = fleet.length ? whyNoWorker(fleet, needs) : null;
    if (why) throw new AppError('CONFLICT', `cannot start a kernel here: ${why}`);
    const candidates = fleet.filter((w) => w.freeSlots > 0 && canRun(w, needs)).sort((a, b) => b.freeSlots - a.freeSlots);
    const subjectsToTry = candidates.length ? candidates.map((w) => subjects.kernelClaimFor(w.workerId)) : [subjects.kernelClaim];
    for (const subject of subjectsToTry) {
      const reply = await ask(subject, kernelId, notebookId);
      if (!reply) continue;
      const session = { kernelId, notebookId, workerId: reply.workerId, backend: reply.backend };
      if (!detached) byNotebook.set(notebookId, session);
      log.info('kernel started', { notebookId, workerId: reply.workerId, backend: reply.backend });
      return session;
    }
    throw new AppError(
      'UNAVAILABLE',
      workers.count() === 0
        ? 'no worker is connected; start one with `npm run worker`'
        : 'every worker is full (no free kernel slot); wait for one to free up or start another with `npm run worker`',
    );
  }

  return {
    get: (notebookId) => byNotebook.get(notebookId),
    forget: (notebookId) => void byNotebook.delete(notebookId),
    async ensure(notebookId, needs = { gpu: false }) {
      const existing = byNotebook.get(notebookId);
      // A kernel on a worker that stopped sending heartbeats is gone; claim a fresh one.
      const holder = existing && workers.list().find((w) => w.workerId === existing.workerId);
      if (existing && holder) {
        if (canRun(holder, needs)) return existing;
        const why = whyNoWorker(workers.list(), needs);
        if (why) throw new AppError('CONFLICT', `cannot run this here: ${why}`);
        throw new AppError(
          'CONFLICT',
          `this notebook's kernel runs on ${holder.workerId}, which lacks ${needs.gpu && !holder.gpu ? 'a GPU' : `the label "${needs.label}"`}; shut the kernel down to start it on a worker that has it (its variables are lost)`,
        );
      }
      if (existing) {
        log.warn('kernel lost with its worker', { notebookId, workerId: existing.workerId });
        byNotebook.delete(notebookId);
      }
      let pending = claiming.get(notebookId);
      if (!pending) {
        pending = claim(notebookId, false, needs).finally(() => claiming.delete(notebookId));
        claiming.set(notebookId, pending);
      }
      return pending;
    },
    claimDetached: (notebookId) => claim(notebookId, true),
    async shutdownDetached(session) {
      await bus.request(
        subjects.kernelControl(session.workerId),
        { v: 1, kernelId: session.kernelId, action: 'shutdown' },
        { timeoutMs: 10_000 },
      );
    },
    async control(notebookId, action) {
      const session = byNotebook.get(notebookId);
      if (!session) {
        if (action === 'restart' || action === 'shutdown') return;
        throw new AppError('CONFLICT', 'this notebook has no running kernel');
      }
      await bus.request(subjects.kernelControl(session.workerId), { v: 1, kernelId: session.kernelId, action }, { timeoutMs: 10_000 });
      if (action === 'shutdown') byNotebook.delete(notebookId);
    },
  };
}
