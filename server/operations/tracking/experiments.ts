import { and, asc, desc, eq, gt, ilike, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { experiments, memberships, workspaces } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { AppError, invalid, notFound } from '../../errors';
import { authorizeWorkspace, userIdOf, workspacesOf } from '../../policies/authorize';
import { decodePageToken, encodePageToken } from './page-token';

export type ExperimentRow = typeof experiments.$inferSelect;

/**
 * The workspace an API call without one works in: the one named (id or slug, e.g. the
 * `X-Ferry-Workspace` header), else the caller's first workspace. MLflow has no workspaces.
 */
export async function workspaceFor(db: Db, actor: Actor, hint?: string | null): Promise<string> {
  const userId = userIdOf(actor);
  const rows = await db
    .select({ id: workspaces.id, slug: workspaces.slug })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  if (rows.length === 0) throw invalid('you belong to no workspace: create one first');
  if (!hint) return rows[0]!.id;
  const match = rows.find((r) => r.id === hint || r.slug === hint);
  if (!match) throw notFound(`workspace "${hint}"`);
  return match.id;
}

export async function experimentCreator(db: Db, actor: Actor, input: { workspaceId: string; name: string; tags?: Record<string, string> }) {
  await authorizeWorkspace(db, actor, input.workspaceId, 'run.log');
  const [row] = await db
    .insert(experiments)
    .values({ workspaceId: input.workspaceId, name: input.name, tags: input.tags ?? {} })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('CONFLICT', `an experiment named "${input.name}" already exists`);
  return row;
}

export async function experimentGetter(db: Db, actor: Actor, experimentId: string) {
  const [row] = await db.select().from(experiments).where(eq(experiments.id, experimentId));
  if (!row) throw notFound(`experiment ${experimentId}`);
  await authorizeWorkspace(db, actor, row.workspaceId, 'run.read');
  return row;
}

export async function experimentByName(db: Db, actor: Actor, workspaceId: string, name: string) {
  await authorizeWorkspace(db, actor, workspaceId, 'run.read');
  const [row] = await db
    .select()
    .from(experiments)
    .where(and(eq(experiments.workspaceId, workspaceId), eq(experiments.name, name)));
  if (!row) throw notFound(`experiment "${name}"`);
  return row;
}

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export function stageFilter(column: typeof experiments.lifecycleStage, view: ViewType): SQL | undefined {
  return view === 'ALL' ? undefined : eq(column, view === 'ACTIVE_ONLY' ? 'active' : 'deleted');
}

/** Experiments of every workspace the caller is in, by name (LIKE via `nameLike`), in pages ordered by name. */
export async function experimentSearcher(
  db: Db,
  actor: Actor,
  input: { view: ViewType; maxResults: number; pageToken?: string; nameLike?: string; newestFirst?: boolean },
) {
  const after = decodePageToken<[string, string]>(input.pageToken);
  const key = input.newestFirst
    ? after &&
      or(lt(experiments.createdAt, new Date(after[0])), and(eq(experiments.createdAt, new Date(after[0])), lt(experiments.id, after[1])))
    : after && or(gt(experiments.name, after[0]), and(eq(experiments.name, after[0]), gt(experiments.id, after[1])));
  const rows = await db
    .select()
    .from(experiments)
    .where(
      and(
        inArray(experiments.workspaceId, workspacesOf(db, actor)),
        stageFilter(experiments.lifecycleStage, input.view),
        input.nameLike ? ilike(experiments.name, input.nameLike) : undefined,
        key ?? undefined,
      ),
    )
    .orderBy(...(input.newestFirst ? [desc(experiments.createdAt), desc(experiments.id)] : [asc(experiments.name), asc(experiments.id)]))
    .limit(input.maxResults + 1);
  const page = rows.slice(0, input.maxResults);
  const last = page[page.length - 1];
  const more = rows.length > input.maxResults && last;
  return {
    experiments: page,
    nextPageToken: more ? encodePageToken(input.newestFirst ? [last.createdAt.toISOString(), last.id] : [last.name, last.id]) : null,
  };
}

/** Rename, delete (soft: restorable), restore, or set a tag. */
export async function experimentUpdater(
  db: Db,
  actor: Actor,
  experimentId: string,
  change: { name?: string; lifecycleStage?: 'active' | 'deleted'; tag?: { key: string; value: string } },
) {
  const row = await experimentGetter(db, actor, experimentId);
  await authorizeWorkspace(db, actor, row.workspaceId, 'run.log');
  const [updated] = await db
    .update(experiments)
    .set({
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.lifecycleStage ? { lifecycleStage: change.lifecycleStage } : {}),
      ...(change.tag ? { tags: { ...row.tags, [change.tag.key]: change.tag.value } } : {}),
      updatedAt: new Date(),
    })
    .where(eq(experiments.id, experimentId))
    .returning()
    .catch((error: unknown) => {
      if (/unique|duplicate/i.test(String((error as Error).message)))
        throw new AppError('CONFLICT', `an experiment named "${change.name}" already exists`);
      throw error;
    });
  return updated!;
}
