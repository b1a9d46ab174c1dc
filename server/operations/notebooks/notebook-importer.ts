import * as Y from 'yjs';
import { fromIpynb, IpynbError } from '../../../core/notebook/ipynb';
import { initNotebookDoc } from '../../../core/notebook/notebook-doc';
import type { Db } from '../../../drizzle/client';
import type { Actor } from '../../auth/actor';
import { collabLimits } from '../../collab/limits';
import { AppError, invalid } from '../../errors';
import { notebookCreator } from './notebook-creator';

/** A new notebook from an .ipynb file: every cell, output and metadata kept; a bad file stores nothing. */
export async function notebookImporter(db: Db, actor: Actor, input: { workspaceId?: string; name?: string; ipynb: unknown }) {
  let content;
  try {
    content = fromIpynb(input.ipynb);
  } catch (error) {
    if (error instanceof IpynbError) throw invalid(`not a notebook Ferry can import: ${error.message}`);
    throw error;
  }
  // The same bound the collaboration server enforces, so an import never makes a document no client can load.
  const doc = new Y.Doc();
  initNotebookDoc(doc, content);
  const size = Y.encodeStateAsUpdate(doc).byteLength;
  doc.destroy();
  if (size > collabLimits.maxDocumentBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', `the notebook is ${size} bytes as a document; the limit is ${collabLimits.maxDocumentBytes}`);
  const title = typeof content.metadata.title === 'string' ? content.metadata.title : undefined;
  const notebook = await notebookCreator(db, actor, {
    name: input.name ?? title ?? 'Imported notebook',
    workspaceId: input.workspaceId,
    content,
  });
  return { notebook, cells: content.cells.length };
}
