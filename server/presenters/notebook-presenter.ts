import type { NotebookDto } from '../../core/contracts/api/notebooks';
import type { notebooks } from '../../drizzle/schema';

export function presentNotebook(row: typeof notebooks.$inferSelect): NotebookDto {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    trashed: row.trashedAt !== null,
  };
}
