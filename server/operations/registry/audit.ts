import type { Db } from '../../../drizzle/client';
import { auditLog } from '../../../drizzle/schema';

export async function audit(
  db: Db,
  entry: {
    workspaceId: string;
    actorId: string | null;
    action: string;
    subjectType: string;
    subjectId: string;
    data?: Record<string, unknown>;
  },
) {
  await db.insert(auditLog).values({ ...entry, data: entry.data ?? {} });
}
