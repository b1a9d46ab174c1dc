import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../drizzle/client';
import { modelAliases, modelVersions } from '../../../drizzle/schema';
import type { Actor } from '../../auth/actor';
import { describeVersion } from './model-queries';
import { versionInWorkspace } from './version-decisions';

export const PRODUCTION_ALIAS = 'production';

type Described = Awaited<ReturnType<typeof describeVersion>>;

export interface MetricComparison {
  dataset: string;
  metric: string;
  candidate: number | null;
  production: number | null;
  /** candidate − production where both measured it. */
  delta: number | null;
}

/**
 * The approval page's evidence: the candidate beside the version now at `production` of the same
 * model: evaluations on the same dataset versions metric by metric, signature, size, source run.
 */
export async function versionReviewer(db: Db, actor: Actor, versionId: string) {
  const { version, model } = await versionInWorkspace(db, actor, versionId, 'model.read');
  const candidate = await describeVersion(db, version, model);
  const [prodRow] = await db
    .select({ version: modelVersions })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, PRODUCTION_ALIAS)));
  const production = prodRow && prodRow.version.id !== version.id ? await describeVersion(db, prodRow.version, model) : null;
  return {
    candidate,
    production,
    candidateIsProduction: prodRow?.version.id === version.id,
    comparison: compareEvaluations(candidate, production),
    signatureChanged: production ? JSON.stringify(candidate.signature) !== JSON.stringify(production.signature) : null,
  };
}

export function compareEvaluations(candidate: Described, production: Described | null): MetricComparison[] {
  const cells = new Map<string, MetricComparison>();
  const put = (side: 'candidate' | 'production', v: Described | null) => {
    for (const e of v?.evaluations ?? [])
      for (const [metric, value] of Object.entries(e.metrics)) {
        const key = `${e.dataset.ref}\u0000${metric}`;
        const row = cells.get(key) ?? { dataset: e.dataset.ref, metric, candidate: null, production: null, delta: null };
        row[side] = value;
        cells.set(key, row);
      }
  };
  put('candidate', candidate);
  put('production', production);
  return [...cells.values()]
    .map((r) => ({ ...r, delta: r.candidate !== null && r.production !== null ? r.candidate - r.production : null }))
    .sort((a, b) => a.dataset.localeCompare(b.dataset) || a.metric.localeCompare(b.metric));
}
