import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { modelVersions, registeredModels } from '../../../drizzle/schema';

/** "name vN" for each version id, in one query: what dashboards show instead of ids. */
export async function versionLabels(db: Db, ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  if (wanted.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: modelVersions.id, version: modelVersions.version, name: registeredModels.name })
    .from(modelVersions)
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(inArray(modelVersions.id, wanted));
  return new Map(rows.map((r) => [r.id, `${r.name} v${r.version}`]));
}
