import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Bus, Subscription } from '../../core/bus/port';
import { trainingEventSchema, type TrainingEvent } from '../../core/contracts/messages/training';
import { queueGroups, subjects } from '../../core/contracts/subjects';
import { assertNever } from '../../core/assert-never';
import type { Db } from '../../drizzle/client';
import { runs, trainingJobs } from '../../drizzle/schema';
import type { Logger } from '../log';
import { trainingTokenRevoker, trainingTokenStarter } from '../operations/identity/job-tokens';

// Writes what workers report about trainings into training_jobs: the queue everyone in a notebook
// sees. One server instance takes each event (queue group), so a log line is appended once.

const LOG_LIMIT = 64 * 1024;
/** A training in one of these states stays there: late events from a dead attempt change nothing. */
const ENDED = ['succeeded', 'failed', 'cancelled'];

export async function startTrainingEventWriter(opts: { db: Db; bus: Bus; log: Logger }): Promise<Subscription> {
  const { db, log } = opts;
  const appendLog = (trainingId: string, text: string) =>
    db
      .update(trainingJobs)
      .set({ log: sql`right(${trainingJobs.log} || ${text}, ${LOG_LIMIT})` })
      .where(eq(trainingJobs.id, trainingId));

  async function apply(event: TrainingEvent) {
    switch (event.type) {
      case 'started':
        await db
          .update(trainingJobs)
          .set({
            status: 'running',
            attempts: event.attempt,
            workerId: event.workerId,
            backend: event.backend,
            startedAt: sql`coalesce(${trainingJobs.startedAt}, now())`,
          })
          .where(and(eq(trainingJobs.id, event.trainingId), inArray(trainingJobs.status, ['queued', 'running'])));
        await trainingTokenStarter(db, event.trainingId);
        return appendLog(event.trainingId, `--- attempt ${event.attempt} on ${event.workerId} (${event.backend}) ---\n`);
      case 'log':
        return appendLog(event.trainingId, event.text);
      case 'finished':
        await db
          .update(trainingJobs)
          .set({ status: event.status, error: event.error, endedAt: new Date() })
          .where(and(eq(trainingJobs.id, event.trainingId), notInArray(trainingJobs.status, ENDED)));
        await trainingTokenRevoker(db, event.trainingId);
        if (event.status !== 'succeeded') await closeRun(event.trainingId, event.status === 'cancelled' ? 'killed' : 'failed');
        return;
      case 'dead':
        await db
          .update(trainingJobs)
          .set({
            status: 'failed',
            endedAt: new Date(),
            error: `delivered ${event.deliveries} times and each time the worker running it stopped before it finished (last: ${event.workerId}); not retried again`,
          })
          .where(and(eq(trainingJobs.id, event.trainingId), notInArray(trainingJobs.status, ENDED)));
        await trainingTokenRevoker(db, event.trainingId);
        return closeRun(event.trainingId, 'failed');
      default:
        return assertNever(event);
    }
  }

  async function closeRun(trainingId: string, status: 'failed' | 'killed') {
    const [row] = await db.select({ runId: trainingJobs.runId }).from(trainingJobs).where(eq(trainingJobs.id, trainingId));
    if (row?.runId)
      await db
        .update(runs)
        .set({ status, endedAt: new Date() })
        .where(and(eq(runs.id, row.runId), eq(runs.status, 'running')));
  }

  return opts.bus.subscribe(
    subjects.trainingEvents,
    async (msg) => {
      const parsed = trainingEventSchema.safeParse(msg.json());
      if (!parsed.success) return log.warn('ignored a malformed training event', { issue: parsed.error.issues[0]?.message });
      await apply(parsed.data).catch((error: unknown) =>
        log.error('could not record a training event', { error: String(error), type: parsed.data.type }),
      );
    },
    { queue: queueGroups.server },
  );
}
