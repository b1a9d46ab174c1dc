import type { NotebookDto } from '../../core/contracts/api/notebooks';
import type { notebooks } from '../../drizzle/schema';

export function presentNotebook(row: typeof notebooks.$inferSelect & { editor?: string | null }): NotebookDto {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.editor ?? null,
    trashed: row.trashedAt !== null,
  };
}
