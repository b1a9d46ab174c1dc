import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { artifacts, runArtifacts } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { AppError, notFound } from '../../errors';
import type { ArtifactStore } from '../../store/artifact-store';
import { authorizeRun } from './run-access';

/** The bytes of one of a run's artifacts, for download; a viewer of the run may read it. */
export async function runArtifactReader(db: Db, store: ArtifactStore, actor: Actor, runId: string, path: string) {
  await authorizeRun(db, actor, runId, 'run.read');
  const [row] = await db
    .select({ sha256: runArtifacts.sha256, mediaType: artifacts.mediaType })
    .from(runArtifacts)
    .innerJoin(artifacts, eq(artifacts.sha256, runArtifacts.sha256))
    .where(and(eq(runArtifacts.runId, runId), eq(runArtifacts.path, path)));
  if (!row) throw notFound(`artifact "${path}" of run ${runId}`);
  const bytes = await store.get(row.sha256);
  if (!bytes) throw new AppError('NOT_FOUND', `artifact "${path}" is recorded but missing from the store`);
  // Served as a download only: never rendered in the app's origin, whatever it holds.
  return {
    bytes,
    fileName: path.split('/').pop() || 'artifact',
    mediaType: 'application/octet-stream' as const,
    storedType: row.mediaType,
  };
}
