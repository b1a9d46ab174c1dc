import { toIpynb, toTypeScript } from '../../../core/notebook/ipynb';
import { notebookToData } from '../../../core/notebook/notebook-doc';
import type { Actor } from '../../auth/actor';
import type { AppContext } from '../../context';
import { authorizeNotebook } from '../../policies/authorize';

/** The notebook as it is now in the shared document, as .ipynb (nbformat 4.5) or a TypeScript script. */
export async function notebookExporter(ctx: AppContext, actor: Actor, notebookId: string, format: 'ipynb' | 'ts') {
  const { notebook } = await authorizeNotebook(ctx.db, actor, notebookId, 'notebook.read');
  const doc = await ctx.collab.readNotebook(notebookId);
  const data = notebookToData(doc);
  doc.destroy();
  const base = notebook.name.replace(/[^\w .-]+/g, '_').trim() || 'notebook';
  return format === 'ipynb'
    ? { filename: `${base}.ipynb`, contentType: 'application/x-ipynb+json', body: `${JSON.stringify(toIpynb(data), null, 1)}\n` }
    : { filename: `${base}.ts`, contentType: 'text/typescript; charset=utf-8', body: toTypeScript(data, notebook.name) };
}
