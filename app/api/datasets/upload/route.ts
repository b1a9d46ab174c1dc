import { join } from 'node:path';
import { z } from 'zod';
import { route } from '../../../../server/http/route';
import { spoolUpload } from '../../../../server/http/upload-spool';
import { datasetUploader } from '../../../../server/operations/datasets/dataset-uploader';

// The file is the raw request body (text/csv or application/x-ndjson), so the browser can show upload
// progress and nothing is base64-inflated; name and format travel in the query string. The operation
// authorizes the caller before it asks for the body.
export const POST = route({
  bodyTypes: ['text/csv', 'application/x-ndjson', 'application/jsonl', 'application/json'],
  query: z.object({
    workspaceId: z.string().uuid(),
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'dataset names use letters, digits, . _ -'),
    format: z.enum(['csv', 'jsonl']),
    description: z.string().max(5000).optional(),
  }),
  status: 201,
  handler: async ({ ctx, actor, query, request }) => {
    const receive = () => spoolUpload(request, join(ctx.env.dataDir, 'uploads'), ctx.env.FERRY_MAX_DATASET_BYTES);
    const { dataset, version, created } = await datasetUploader(ctx, actor, { ...query, receive });
    const { profile: _profile, ...summary } = version;
    return Response.json({ dataset, version: summary, created }, { status: created ? 201 : 200 });
  },
});
