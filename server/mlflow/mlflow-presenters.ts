import type { ExperimentRow } from '../operations/tracking/experiments';
import type { runsHydrated } from '../operations/tracking/run-searcher';
import type { modelVersions, registeredModels } from '../../drizzle/schema';

// Ferry rows in MLflow's JSON: string ids, millisecond times, tags as [{key, value}], enums as strings.

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));
const STATUS = { running: 'RUNNING', finished: 'FINISHED', failed: 'FAILED', killed: 'KILLED' } as const;

export function presentExperiment(e: ExperimentRow) {
  return {
    experiment_id: e.id,
    name: e.name,
    artifact_location: `ferry-artifacts:/${e.id}`,
    lifecycle_stage: e.lifecycleStage,
    creation_time: e.createdAt.getTime(),
    last_update_time: e.updatedAt.getTime(),
    tags: tagList(e.tags),
  };
}

type HydratedRun = Awaited<ReturnType<typeof runsHydrated>>[number];

export function presentRun(r: HydratedRun) {
  const tags = r.tags.map((t) => ({ key: t.key, value: t.value }));
  if (!tags.some((t) => t.key === 'mlflow.runName')) tags.push({ key: 'mlflow.runName', value: r.name });
  if (r.notebookVersionId) tags.push({ key: 'ferry.notebook_version_id', value: r.notebookVersionId });
  return {
    info: {
      run_id: r.id,
      run_uuid: r.id,
      run_name: r.name,
      experiment_id: r.experimentId,
      user_id: r.userEmail ?? '',
      status: STATUS[r.status],
      start_time: r.startedAt.getTime(),
      ...(r.endedAt ? { end_time: r.endedAt.getTime() } : {}),
      artifact_uri: `ferry-artifacts:/${r.experimentId}/${r.id}/artifacts`,
      lifecycle_stage: r.lifecycleStage,
    },
    data: {
      metrics: r.metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step })),
      params: r.params.map((p) => ({ key: p.key, value: p.value })),
      tags,
    },
  };
}

type VersionRow = typeof modelVersions.$inferSelect;
type ModelRow = typeof registeredModels.$inferSelect;

export function presentVersion(model: ModelRow, v: VersionRow, aliases: string[] = []) {
  return {
    name: model.name,
    version: String(v.version),
    creation_timestamp: v.createdAt.getTime(),
    last_updated_timestamp: (v.decidedAt ?? v.createdAt).getTime(),
    description: v.description,
    current_stage: 'None',
    source: `ferry-artifacts:/${v.onnxSha256}`,
    ...(v.runId ? { run_id: v.runId } : {}),
    status: 'READY',
    tags: [...tagList(v.tags), { key: 'ferry.approval', value: v.status }],
    aliases,
  };
}

export function presentModel(model: ModelRow, latest: VersionRow[], aliases: Array<{ alias: string; version: number }>) {
  return {
    name: model.name,
    creation_timestamp: model.createdAt.getTime(),
    last_updated_timestamp: model.updatedAt.getTime(),
    description: model.description,
    latest_versions: latest.map((v) =>
      presentVersion(
        model,
        v,
        aliases.filter((a) => a.version === v.version).map((a) => a.alias),
      ),
    ),
    tags: tagList(model.tags),
    aliases: aliases.map((a) => ({ alias: a.alias, version: String(a.version) })),
  };
}
