import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { runCells, runs } from '../../../drizzle/schema';

/**
 * A kernel session ended (restart, shutdown: `finished`; died, interrupted by a restart, over its
 * limits: `killed`): its active run cannot receive anything more, so it ends with it. The run is found
 * by the kernel, or by an execution that logged into it (a detached kernel's, known to no instance).
 */
export async function kernelRunEnder(
  db: Db,
  of: { kernelId?: string; executionId?: string },
  status: 'finished' | 'killed',
): Promise<number> {
  const byExecution = of.executionId
    ? inArray(runs.id, sql`(select ${runCells.runId} from ${runCells} where ${runCells.executionId} = ${of.executionId}::uuid)`)
    : undefined;
  const byKernel = of.kernelId ? eq(runs.kernelId, of.kernelId) : undefined;
  if (!byExecution && !byKernel) return 0;
  const ended = await db
    .update(runs)
    .set({ status, endedAt: new Date() })
    .where(and(eq(runs.status, 'running'), or(byKernel, byExecution)))
    .returning({ id: runs.id });
  return ended.length;
}
