import { onnxUploadSchema } from '../../../../core/contracts/api/registry';
import { route } from '../../../../server/http/route';
import { onnxUploader } from '../../../../server/operations/registry/onnx-uploader';

export const POST = route({
  body: onnxUploadSchema,
  status: 201,
  maxBodyBytes: 64 * 1024 * 1024,
  handler: ({ ctx, actor, body }) => onnxUploader(ctx.db, ctx.artifacts, actor, body),
});
