import { z } from 'zod';
import { notebookExportQuerySchema } from '../../../../../core/contracts/api/notebooks';
import { route, uuidParam } from '../../../../../server/http/route';
import { notebookExporter } from '../../../../../server/operations/notebooks/notebook-exporter';

export const dynamic = 'force-dynamic';
export const GET = route({
  params: z.object({ id: uuidParam }),
  query: notebookExportQuerySchema,
  handler: async ({ ctx, actor, params, query }) => {
    const file = await notebookExporter(ctx, actor, params.id, query.format);
    return new Response(file.body, {
      headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${encodeURIComponent(file.filename)}"` },
    });
  },
});
