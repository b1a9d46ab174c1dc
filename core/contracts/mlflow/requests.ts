import { z } from 'zod';
import { aliasNameSchema } from '../api/alias';

// Request bodies and query strings of the MLflow REST API subset Ferry serves under /api/2.0/mlflow/.
// MLflow's conventions: unknown fields are ignored (zod strips them), enums are strings, numbers may
// arrive as strings in query strings, ids are strings.

const id = z.string().min(1, 'is required');
const int = z.coerce.number().int();
const tagList = z.array(z.object({ key: z.string().min(1).max(250), value: z.string().max(5000) })).default([]);
const viewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']).default('ACTIVE_ONLY');
const maxResults = (max: number, dflt: number) => int.min(1).max(max).default(dflt);

export const mlflowRunStatus = z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

export const experimentCreate = z.object({
  name: z.string().trim().min(1, 'name is required').max(500),
  artifact_location: z.string().optional(),
  tags: tagList,
});
export const experimentGet = z.object({ experiment_id: id });
export const experimentGetByName = z.object({ experiment_name: z.string().min(1, 'experiment_name is required') });
export const experimentSearch = z.object({
  max_results: maxResults(50_000, 1000),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: z.array(z.string()).default([]),
  view_type: viewType,
});
export const experimentList = z.object({ view_type: viewType });
export const experimentUpdate = z.object({ experiment_id: id, new_name: z.string().trim().min(1).max(500) });
export const experimentId = z.object({ experiment_id: id });
export const experimentSetTag = z.object({ experiment_id: id, key: z.string().min(1).max(250), value: z.string().max(5000) });

export const runCreate = z.object({
  experiment_id: id,
  user_id: z.string().optional(),
  run_name: z.string().max(250).optional(),
  start_time: int.optional(),
  tags: tagList,
});
const runRef = { run_id: z.string().optional(), run_uuid: z.string().optional() };
// Older clients send run_uuid; either names the run (the handler requires one of them).
const withRunId = <T extends z.ZodRawShape>(shape: T) => z.object({ ...runRef, ...shape });
export function runIdOf(args: { run_id?: string; run_uuid?: string }): string | undefined {
  return args.run_id ?? args.run_uuid;
}
export const runUpdate = withRunId({
  status: mlflowRunStatus.optional(),
  end_time: int.optional(),
  run_name: z.string().max(250).optional(),
});
export const runGet = withRunId({});
export const runDelete = withRunId({});
export const metricPoint = z.object({ key: z.string().min(1).max(250), value: z.coerce.number(), timestamp: int, step: int.default(0) });
export const logMetric = withRunId(metricPoint.shape);
export const logParam = withRunId({ key: z.string().min(1).max(250), value: z.string().max(6000) });
export const setTag = withRunId({ key: z.string().min(1).max(250), value: z.string().max(5000) });
export const deleteTag = withRunId({ key: z.string().min(1).max(250) });
export const logBatch = withRunId({
  metrics: z.array(metricPoint).max(1000, 'log-batch takes at most 1000 metrics').default([]),
  params: z
    .array(z.object({ key: z.string().min(1).max(250), value: z.string().max(6000) }))
    .max(100, 'log-batch takes at most 100 params')
    .default([]),
  tags: tagList.pipe(z.array(z.any()).max(100, 'log-batch takes at most 100 tags')),
});
export const runSearch = z.object({
  experiment_ids: z.array(z.string()).min(1, 'experiment_ids is required'),
  filter: z.string().optional(),
  run_view_type: viewType,
  max_results: maxResults(50_000, 1000),
  order_by: z.array(z.string()).default([]),
  page_token: z.string().optional(),
});
export const metricHistory = withRunId({
  metric_key: z.string().min(1, 'metric_key is required'),
  max_results: maxResults(25_000, 25_000),
  page_token: z.string().optional(),
});
export const artifactsList = withRunId({ path: z.string().optional(), page_token: z.string().optional() });

const modelName = z.string().trim().min(1, 'name is required').max(100);
export const registeredModelCreate = z.object({ name: modelName, description: z.string().max(5000).optional(), tags: tagList });
export const registeredModelGet = z.object({ name: modelName });
export const registeredModelSearch = z.object({
  filter: z.string().optional(),
  max_results: maxResults(1000, 100),
  page_token: z.string().optional(),
  order_by: z.array(z.string()).default([]),
});
export const registeredModelRename = z.object({ name: modelName, new_name: modelName });
export const registeredModelUpdate = z.object({ name: modelName, description: z.string().max(5000) });
export const registeredModelSetTag = z.object({ name: modelName, key: z.string().min(1).max(250), value: z.string().max(5000) });
export const registeredModelDeleteTag = z.object({ name: modelName, key: z.string().min(1).max(250) });
export const modelVersionCreate = z.object({
  name: modelName,
  source: z.string().optional(),
  run_id: z.string().optional(),
  description: z.string().max(5000).optional(),
  tags: tagList,
});
export const modelVersionGet = z.object({ name: modelName, version: int.min(1) });
export const modelVersionUpdate = z.object({ name: modelName, version: int.min(1), description: z.string().max(5000) });
export const modelVersionSearch = z.object({
  filter: z.string().optional(),
  max_results: maxResults(10_000, 1000),
  page_token: z.string().optional(),
});
export const modelVersionSetTag = z.object({
  name: modelName,
  version: int.min(1),
  key: z.string().min(1).max(250),
  value: z.string().max(5000),
});
export const modelVersionDeleteTag = z.object({ name: modelName, version: int.min(1), key: z.string().min(1).max(250) });
export const aliasSet = z.object({
  name: modelName,
  alias: aliasNameSchema,
  version: int.min(1),
});
export const aliasRef = z.object({ name: modelName, alias: z.string().trim().min(1).max(64) });
