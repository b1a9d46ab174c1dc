import { readBytesBounded, route } from '../../../../server/http/route';
import { notebookImporter } from '../../../../server/operations/notebooks/notebook-importer';
import { presentNotebook } from '../../../../server/presenters/notebook-presenter';

// The body ({workspaceId?, name?, ipynb}) is parsed on a worker thread with the notebook itself, so
// the route reads it raw; route() has already identified the caller.
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export const POST = route({
  status: 201,
  handler: async ({ ctx, actor, request }) => {
    const { notebook, cells } = await notebookImporter(ctx, actor, { body: await readBytesBounded(request, MAX_IMPORT_BYTES) });
    return { ...presentNotebook(notebook), cells };
  },
});
