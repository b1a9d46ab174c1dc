import { notebookImportRequestSchema } from '../../../core/contracts/api/notebooks';
import type { Actor } from '../../auth/actor';
import { collabLimits } from '../../collab/limits';
import type { AppContext } from '../../context';
import { AppError, invalid } from '../../errors';
import { assertSafeJson } from '../../http/json-guard';
import { notebookCreator } from './notebook-creator';

const fieldsSchema = notebookImportRequestSchema.omit({ ipynb: true });

/**
 * A new notebook from an .ipynb file: every cell, output and metadata kept; a bad file stores nothing.
 * The file is parsed and turned into a document on a worker thread: its size is the caller's to choose.
 */
export async function notebookImporter(ctx: Pick<AppContext, 'db' | 'heavyWork'>, actor: Actor, input: { body: Uint8Array }) {
  const imported = await ctx.heavyWork.run({ kind: 'notebook-import', bytes: input.body });
  assertSafeJson(imported.fields, 'body');
  const fields = fieldsSchema.safeParse(imported.fields);
  if (!fields.success) throw invalid(`invalid body: ${fields.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // The same bound the collaboration server enforces, so an import never makes a document no client can load.
  const size = imported.updates.reduce((sum, u) => sum + u.byteLength, 0);
  if (size > collabLimits.maxDocumentBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', `the notebook is ${size} bytes as a document; the limit is ${collabLimits.maxDocumentBytes}`);
  const notebook = await notebookCreator(ctx.db, actor, {
    name: fields.data.name ?? imported.title ?? 'Imported notebook',
    workspaceId: fields.data.workspaceId,
    initialUpdates: imported.updates,
  });
  return { notebook, cells: imported.cells };
}
