import { desc, eq } from 'drizzle-orm';
import type { z, ZodType } from 'zod';
import * as rq from '../../core/contracts/mlflow/requests';
import { modelVersions, runArtifacts } from '../../drizzle/schema';
import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { invalid, notFound } from '../errors';
import { aliasDeleter, aliasSetter } from '../operations/registry/alias-setter';
import {
  aliasesOf,
  registeredModelByName,
  registeredModelCreator,
  registeredModelDeleter,
  registeredModelSearcher,
  registeredModelUpdater,
  versionByNumber,
  versionSearcher,
  versionUpdater,
} from '../operations/registry/registered-models';
import { runPromoter } from '../operations/registry/run-promoter';
import { apiRunCreator, runTagDeleter, runUpdater } from '../operations/tracking/api-runs';
import {
  experimentByName,
  experimentCreator,
  experimentGetter,
  experimentSearcher,
  experimentUpdater,
} from '../operations/tracking/experiments';
import { authorizeRun } from '../operations/tracking/run-access';
import { runLogger } from '../operations/tracking/run-logger';
import { metricHistoryPage } from '../operations/tracking/run-queries';
import { runSearcher, runsHydrated } from '../operations/tracking/run-searcher';
import { presentExperiment, presentModel, presentRun, presentVersion } from './mlflow-presenters';

// The MLflow REST API subset as a table: "METHOD path" → argument schema + handler calling Ferry's
// operations. The route (app/api/2.0/mlflow/[...path]) only parses, looks up and presents errors.

export interface MlflowCall {
  ctx: AppContext;
  actor: Actor;
  /** The workspace calls without an id work in (X-Ferry-Workspace header, else the caller's first). */
  workspace: () => Promise<string>;
}

interface Endpoint<S extends ZodType> {
  args: S;
  run: (call: MlflowCall, args: z.infer<S>) => Promise<unknown>;
}

const endpoint = <S extends ZodType>(args: S, run: (call: MlflowCall, args: z.infer<S>) => Promise<unknown>): Endpoint<S> => ({
  args,
  run,
});

const STATUS = { RUNNING: 'running', SCHEDULED: 'running', FINISHED: 'finished', FAILED: 'failed', KILLED: 'killed' } as const;
const tagsToRecord = (tags: Array<{ key: string; value: string }>) => Object.fromEntries(tags.map((t) => [t.key, t.value]));

function runId(args: { run_id?: string; run_uuid?: string }): string {
  const id = rq.runIdOf(args);
  if (!id) throw invalid('run_id is required');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`run ${id}`);
  return id;
}

function experimentIdOf(id: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound(`experiment ${id}`);
  return id;
}

/** `name = 'x'`, `name LIKE 'x%'`, `run_id = '…'`: the filters MLflow's registry search takes. */
function simpleFilter(filter: string | undefined, fields: string[]): { field: string; like: boolean; value: string } | null {
  if (!filter?.trim()) return null;
  const m = filter.match(/^\s*(\w+)\s*(=|LIKE|ILIKE)\s*(['"])(.*)\3\s*$/i);
  if (!m || !fields.includes(m[1]!.toLowerCase()))
    throw invalid(`unsupported filter "${filter}": use ${fields.map((f) => `${f} = '…'`).join(' or ')} (LIKE and ILIKE work on name)`);
  return { field: m[1]!.toLowerCase(), like: m[2]!.toUpperCase() !== '=', value: m[4]! };
}

async function hydratedRun(call: MlflowCall, id: string) {
  await authorizeRun(call.ctx.db, call.actor, id, 'run.read');
  const [run] = await runsHydrated(call.ctx.db, [id]);
  if (!run) throw notFound(`run ${id}`);
  return presentRun(run);
}

async function modelWithLatest(call: MlflowCall, model: Awaited<ReturnType<typeof registeredModelByName>>) {
  const [latest] = await call.ctx.db
    .select()
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.version))
    .limit(1);
  return presentModel(model, latest ? [latest] : [], await aliasesOf(call.ctx.db, [model.id]));
}

async function versionAliases(call: MlflowCall, modelId: string, version: number) {
  return (await aliasesOf(call.ctx.db, [modelId])).filter((a) => a.version === version).map((a) => a.alias);
}

export const mlflowEndpoints: Record<string, Endpoint<ZodType>> = {
  'POST experiments/create': endpoint(rq.experimentCreate, async (c, a) => ({
    experiment_id: (
      await experimentCreator(c.ctx.db, c.actor, { workspaceId: await c.workspace(), name: a.name, tags: tagsToRecord(a.tags) })
    ).id,
  })),
  'GET experiments/get': endpoint(rq.experimentGet, async (c, a) => ({
    experiment: presentExperiment(await experimentGetter(c.ctx.db, c.actor, experimentIdOf(a.experiment_id))),
  })),
  'GET experiments/get-by-name': endpoint(rq.experimentGetByName, async (c, a) => ({
    experiment: presentExperiment(await experimentByName(c.ctx.db, c.actor, await c.workspace(), a.experiment_name)),
  })),
  'POST experiments/search': endpoint(rq.experimentSearch, async (c, a) => {
    const f = simpleFilter(a.filter, ['name']);
    const newestFirst = a.order_by.some((o) => /creation_time|last_update_time/.test(o) && !/asc/i.test(o));
    const result = await experimentSearcher(c.ctx.db, c.actor, {
      view: a.view_type,
      maxResults: a.max_results,
      pageToken: a.page_token,
      nameLike: f ? (f.like ? f.value : f.value.replace(/[%_\\]/g, '\\$&')) : undefined,
      newestFirst,
    });
    return {
      experiments: result.experiments.map(presentExperiment),
      ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}),
    };
  }),
  // The legacy listing (MLflow < 2), still used by older clients.
  'GET experiments/list': endpoint(rq.experimentList, async (c, a) => ({
    experiments: (await experimentSearcher(c.ctx.db, c.actor, { view: a.view_type, maxResults: 50_000 })).experiments.map(
      presentExperiment,
    ),
  })),
  'POST experiments/update': endpoint(rq.experimentUpdate, async (c, a) => {
    await experimentUpdater(c.ctx.db, c.actor, experimentIdOf(a.experiment_id), { name: a.new_name });
    return {};
  }),
  'POST experiments/delete': endpoint(rq.experimentId, async (c, a) => {
    await experimentUpdater(c.ctx.db, c.actor, experimentIdOf(a.experiment_id), { lifecycleStage: 'deleted' });
    return {};
  }),
  'POST experiments/restore': endpoint(rq.experimentId, async (c, a) => {
    await experimentUpdater(c.ctx.db, c.actor, experimentIdOf(a.experiment_id), { lifecycleStage: 'active' });
    return {};
  }),
  'POST experiments/set-experiment-tag': endpoint(rq.experimentSetTag, async (c, a) => {
    await experimentUpdater(c.ctx.db, c.actor, experimentIdOf(a.experiment_id), { tag: { key: a.key, value: a.value } });
    return {};
  }),

  'POST runs/create': endpoint(rq.runCreate, async (c, a) => {
    const run = await apiRunCreator(c.ctx.db, c.actor, {
      experimentId: experimentIdOf(a.experiment_id),
      runName: a.run_name,
      startTime: a.start_time,
      tags: tagsToRecord(a.tags),
    });
    return { run: await hydratedRun(c, run.id) };
  }),
  'GET runs/get': endpoint(rq.runGet, async (c, a) => ({ run: await hydratedRun(c, runId(a)) })),
  'POST runs/update': endpoint(rq.runUpdate, async (c, a) => {
    const id = runId(a);
    await runUpdater(c.ctx.db, c.actor, id, { status: a.status ? STATUS[a.status] : undefined, endTime: a.end_time, runName: a.run_name });
    return { run_info: (await hydratedRun(c, id)).info };
  }),
  'POST runs/delete': endpoint(rq.runDelete, async (c, a) => {
    await runUpdater(c.ctx.db, c.actor, runId(a), { lifecycleStage: 'deleted' });
    return {};
  }),
  'POST runs/restore': endpoint(rq.runDelete, async (c, a) => {
    await runUpdater(c.ctx.db, c.actor, runId(a), { lifecycleStage: 'active' });
    return {};
  }),
  'POST runs/log-metric': endpoint(rq.logMetric, async (c, a) => {
    await runLogger(c.ctx.db, c.actor, runId(a), { metrics: [{ key: a.key, value: a.value, timestamp: a.timestamp, step: a.step }] });
    return {};
  }),
  'POST runs/log-parameter': endpoint(rq.logParam, async (c, a) => {
    await runLogger(c.ctx.db, c.actor, runId(a), { params: { [a.key]: a.value } });
    return {};
  }),
  'POST runs/set-tag': endpoint(rq.setTag, async (c, a) => {
    const id = runId(a);
    if (a.key === 'mlflow.runName') await runUpdater(c.ctx.db, c.actor, id, { runName: a.value });
    await runLogger(c.ctx.db, c.actor, id, { tags: { [a.key]: a.value } });
    return {};
  }),
  'POST runs/delete-tag': endpoint(rq.deleteTag, async (c, a) => {
    await runTagDeleter(c.ctx.db, c.actor, runId(a), a.key);
    return {};
  }),
  'POST runs/log-batch': endpoint(rq.logBatch, async (c, a) => {
    if (a.metrics.length + a.params.length + a.tags.length > 1000)
      throw invalid('log-batch takes at most 1000 metrics, params and tags together');
    const params: Record<string, string> = {};
    for (const p of a.params) {
      if (p.key in params && params[p.key] !== p.value) throw invalid(`param "${p.key}" appears twice with different values`);
      params[p.key] = p.value;
    }
    await runLogger(c.ctx.db, c.actor, runId(a), {
      metrics: a.metrics,
      params,
      tags: tagsToRecord(a.tags as Array<{ key: string; value: string }>),
    });
    return {};
  }),
  'POST runs/search': endpoint(rq.runSearch, async (c, a) => {
    const ids = a.experiment_ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (ids.length === 0) return { runs: [] };
    const result = await runSearcher(c.ctx.db, c.actor, {
      experimentIds: ids,
      filter: a.filter,
      view: a.run_view_type,
      maxResults: a.max_results,
      orderBy: a.order_by,
      pageToken: a.page_token,
    });
    const runs = (await runsHydrated(c.ctx.db, result.runIds)).map(presentRun);
    return { runs, ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}) };
  }),
  'GET metrics/get-history': endpoint(rq.metricHistory, async (c, a) => {
    const page = await metricHistoryPage(c.ctx.db, c.actor, runId(a), a.metric_key, a.max_results, a.page_token);
    return {
      metrics: page.points.map((p) => ({ key: a.metric_key, value: p.value, timestamp: p.timestamp, step: p.step })),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  }),
  'GET artifacts/list': endpoint(rq.artifactsList, async (c, a) => {
    const id = runId(a);
    const run = await authorizeRun(c.ctx.db, c.actor, id, 'run.read');
    const prefix = a.path ? `${a.path.replace(/\/$/, '')}/` : '';
    const rows = await c.ctx.db.select().from(runArtifacts).where(eq(runArtifacts.runId, id));
    const sizes = new Map<string, number>();
    for (const r of rows.filter((r) => r.path.startsWith(prefix))) {
      const rest = r.path.slice(prefix.length);
      const top = rest.split('/')[0]!;
      sizes.set(top + (rest.includes('/') ? '/' : ''), (sizes.get(top) ?? 0) + ((r.metadata as { size?: number }).size ?? 0));
    }
    return {
      root_uri: `ferry-artifacts:/${run.experimentId}/${id}/artifacts`,
      files: [...sizes.keys()]
        .sort()
        .map((name) =>
          name.endsWith('/')
            ? { path: `${prefix}${name.slice(0, -1)}`, is_dir: true }
            : { path: `${prefix}${name}`, is_dir: false, file_size: sizes.get(name) },
        ),
    };
  }),

  'POST registered-models/create': endpoint(rq.registeredModelCreate, async (c, a) => {
    const model = await registeredModelCreator(c.ctx.db, c.actor, {
      workspaceId: await c.workspace(),
      name: a.name,
      description: a.description,
      tags: tagsToRecord(a.tags),
    });
    return { registered_model: presentModel(model, [], []) };
  }),
  'GET registered-models/get': endpoint(rq.registeredModelGet, async (c, a) => ({
    registered_model: await modelWithLatest(c, await registeredModelByName(c.ctx.db, c.actor, await c.workspace(), a.name)),
  })),
  'GET registered-models/search': endpoint(rq.registeredModelSearch, async (c, a) => {
    const f = simpleFilter(a.filter, ['name']);
    const result = await registeredModelSearcher(c.ctx.db, c.actor, {
      workspaceId: await c.workspace(),
      nameLike: f ? (f.like ? f.value : f.value.replace(/[%_\\]/g, '\\$&')) : undefined,
      maxResults: a.max_results,
      pageToken: a.page_token,
    });
    const models = await Promise.all(result.models.map((m) => modelWithLatest(c, m)));
    return { registered_models: models, ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}) };
  }),
  'POST registered-models/rename': endpoint(rq.registeredModelRename, async (c, a) => ({
    registered_model: await modelWithLatest(
      c,
      await registeredModelUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, { newName: a.new_name }),
    ),
  })),
  'PATCH registered-models/update': endpoint(rq.registeredModelUpdate, async (c, a) => ({
    registered_model: await modelWithLatest(
      c,
      await registeredModelUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, { description: a.description }),
    ),
  })),
  'DELETE registered-models/delete': endpoint(rq.registeredModelGet, async (c, a) => {
    await registeredModelDeleter(c.ctx.db, c.actor, await c.workspace(), a.name);
    return {};
  }),
  'POST registered-models/set-tag': endpoint(rq.registeredModelSetTag, async (c, a) => {
    await registeredModelUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, { setTag: { key: a.key, value: a.value } });
    return {};
  }),
  'DELETE registered-models/delete-tag': endpoint(rq.registeredModelDeleteTag, async (c, a) => {
    await registeredModelUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, { deleteTag: a.key });
    return {};
  }),
  'POST registered-models/alias': endpoint(rq.aliasSet, async (c, a) => {
    const { model, version } = await versionByNumber(c.ctx.db, c.actor, await c.workspace(), a.name, a.version);
    await aliasSetter(c.ctx.db, c.actor, model.id, { alias: a.alias, versionId: version.id });
    return {};
  }),
  'DELETE registered-models/alias': endpoint(rq.aliasRef, async (c, a) => {
    const model = await registeredModelByName(c.ctx.db, c.actor, await c.workspace(), a.name);
    await aliasDeleter(c.ctx.db, c.actor, model.id, a.alias);
    return {};
  }),
  'GET registered-models/alias': endpoint(rq.aliasRef, async (c, a) => {
    const model = await registeredModelByName(c.ctx.db, c.actor, await c.workspace(), a.name);
    const found = (await aliasesOf(c.ctx.db, [model.id])).find((x) => x.alias === a.alias);
    if (!found) throw notFound(`alias "${a.alias}" on ${a.name}`);
    const { version } = await versionByNumber(c.ctx.db, c.actor, model.workspaceId, a.name, found.version);
    return { model_version: presentVersion(model, version, await versionAliases(c, model.id, version.version)) };
  }),

  'POST model-versions/create': endpoint(rq.modelVersionCreate, async (c, a) => {
    if (!a.run_id)
      throw invalid(
        'Ferry registers versions from a run that logged a model (give run_id), or from an ONNX file with POST /api/models/upload',
      );
    const workspaceId = await c.workspace();
    const run = await authorizeRun(c.ctx.db, c.actor, runId(a), 'model.promote');
    if (run.workspaceId !== workspaceId) throw invalid('the run belongs to another workspace than the registered model');
    const { model, version } = await runPromoter(c.ctx.db, c.ctx.artifacts, c.actor, {
      runId: run.id,
      modelName: a.name,
      description: a.description,
    });
    const updated =
      a.description || a.tags.length
        ? (await versionUpdater(c.ctx.db, c.actor, workspaceId, a.name, version.version, { description: a.description })).version
        : version;
    for (const t of a.tags) await versionUpdater(c.ctx.db, c.actor, workspaceId, a.name, version.version, { setTag: t });
    return { model_version: presentVersion(model, { ...updated, tags: tagsToRecord(a.tags) }) };
  }),
  'GET model-versions/get': endpoint(rq.modelVersionGet, async (c, a) => {
    const { model, version } = await versionByNumber(c.ctx.db, c.actor, await c.workspace(), a.name, a.version);
    return { model_version: presentVersion(model, version, await versionAliases(c, model.id, version.version)) };
  }),
  'PATCH model-versions/update': endpoint(rq.modelVersionUpdate, async (c, a) => {
    const { model, version } = await versionUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, a.version, {
      description: a.description,
    });
    return { model_version: presentVersion(model, version, await versionAliases(c, model.id, version.version)) };
  }),
  'GET model-versions/search': endpoint(rq.modelVersionSearch, async (c, a) => {
    const f = simpleFilter(a.filter, ['name', 'run_id']);
    const result = await versionSearcher(c.ctx.db, c.actor, {
      workspaceId: await c.workspace(),
      name: f?.field === 'name' ? f.value : undefined,
      runId: f?.field === 'run_id' ? f.value : undefined,
      maxResults: a.max_results,
      pageToken: a.page_token,
    });
    const aliases = await aliasesOf(c.ctx.db, [...new Set(result.versions.map((v) => v.model.id))]);
    return {
      model_versions: result.versions.map((v) =>
        presentVersion(
          v.model,
          v.version,
          aliases.filter((x) => x.modelId === v.model.id && x.version === v.version.version).map((x) => x.alias),
        ),
      ),
      ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}),
    };
  }),
  'POST model-versions/set-tag': endpoint(rq.modelVersionSetTag, async (c, a) => {
    await versionUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, a.version, { setTag: { key: a.key, value: a.value } });
    return {};
  }),
  'DELETE model-versions/delete-tag': endpoint(rq.modelVersionDeleteTag, async (c, a) => {
    await versionUpdater(c.ctx.db, c.actor, await c.workspace(), a.name, a.version, { deleteTag: a.key });
    return {};
  }),
};
