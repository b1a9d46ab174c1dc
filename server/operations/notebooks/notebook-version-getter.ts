import { eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { notebooks, notebookVersions, users } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { notFound } from '../../errors';
import { authorizeNotebook } from '../../policies/authorize';

/** One immutable notebook version with its content: what a run or a model version points back to. */
export async function notebookVersionGetter(db: Db, actor: Actor, versionId: string) {
  const [row] = await db
    .select({ version: notebookVersions, notebookName: notebooks.name, authorName: users.name })
    .from(notebookVersions)
    .innerJoin(notebooks, eq(notebooks.id, notebookVersions.notebookId))
    .leftJoin(users, eq(users.id, notebookVersions.createdBy))
    .where(eq(notebookVersions.id, versionId));
  if (!row) throw notFound('notebook version');
  await authorizeNotebook(db, actor, row.version.notebookId, 'notebook.read');
  return { ...row.version, notebookName: row.notebookName, authorName: row.authorName };
}
