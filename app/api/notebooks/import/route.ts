import { notebookImportRequestSchema } from '../../../../core/contracts/api/notebooks';
import { route } from '../../../../server/http/route';
import { notebookImporter } from '../../../../server/operations/notebooks/notebook-importer';
import { presentNotebook } from '../../../../server/presenters/notebook-presenter';

export const POST = route({
  body: notebookImportRequestSchema,
  status: 201,
  maxBodyBytes: 64 * 1024 * 1024,
  handler: async ({ ctx, actor, body }) => {
    const { notebook, cells } = await notebookImporter(ctx.db, actor, body);
    return { ...presentNotebook(notebook), cells };
  },
});
