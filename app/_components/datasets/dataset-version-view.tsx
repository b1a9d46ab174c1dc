'use client';

import { useEffect, useState } from 'react';
import { api } from '../../_lib/api';

interface NumericProfile {
  name: string;
  type: 'numeric';
  count: number;
  nulls: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  quantiles: number[];
  histogram: number[];
}
interface CategoricalProfile {
  name: string;
  type: 'categorical';
  count: number;
  nulls: number;
  distinct: number;
  top: Array<{ value: string; share: number }>;
}
interface VersionDetail {
  dataset: { name: string };
  version: { version: number; sha256: string; rows: number; format: string; profile: Array<NumericProfile | CategoricalProfile> };
  preview: Array<Record<string, number | string | null>>;
  usedBy: Array<{ id: string; name: string; status: string }>;
}

function Bars({ values, labels }: { values: number[]; labels?: string[] }) {
  const top = Math.max(...values, 1e-9);
  return (
    <svg viewBox={`0 0 ${values.length * 12} 40`} width={Math.min(240, values.length * 24)} height={40} role="img">
      {values.map((v, i) => (
        <rect key={i} x={i * 12} width={10} y={40 - (v / top) * 38} height={(v / top) * 38} fill="#2f6feb">
          <title>{labels?.[i] ?? `${(v * 100).toFixed(1)} %`}</title>
        </rect>
      ))}
    </svg>
  );
}

/** One dataset version: schema with a chart per column (deciles or top categories), preview rows, and the runs that read it. */
export function DatasetVersionView({ datasetId, version }: { datasetId: string; version: number }) {
  const [detail, setDetail] = useState<VersionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<VersionDetail>('GET', `/api/datasets/${datasetId}/versions/${version}`)
      .then(setDetail)
      .catch((e: Error) => setError(e.message));
  }, [datasetId, version]);
  if (error) return <p className="error">{error}</p>;
  if (!detail) return <p className="muted">Loading…</p>;
  const columns = detail.version.profile.map((p) => p.name);
  return (
    <section className="panel" data-testid="dataset-version">
      <h2>
        {detail.dataset.name} v{detail.version.version}{' '}
        <span className="small muted">
          {detail.version.rows} rows · {detail.version.format} · sha256 {detail.version.sha256.slice(0, 12)}…
        </span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>column</th>
            <th>type</th>
            <th>count / nulls</th>
            <th>summary</th>
            <th>distribution</th>
          </tr>
        </thead>
        <tbody>
          {detail.version.profile.map((p) => (
            <tr key={p.name}>
              <td>{p.name}</td>
              <td>{p.type}</td>
              <td>
                {p.count} / {p.nulls}
              </td>
              <td className="small">
                {p.type === 'numeric'
                  ? `mean ${p.mean.toPrecision(4)}, std ${p.std.toPrecision(4)}, min ${p.min}, median ${p.quantiles[5]?.toPrecision(4)}, max ${p.max}`
                  : `${p.distinct} distinct; top ${p.top
                      .slice(0, 3)
                      .map((t) => `${t.value} (${(t.share * 100).toFixed(0)} %)`)
                      .join(', ')}`}
              </td>
              <td>
                {p.type === 'numeric' ? (
                  <Bars values={p.histogram} />
                ) : (
                  <Bars values={p.top.map((t) => t.share)} labels={p.top.map((t) => t.value)} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="small">First rows</h3>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {detail.preview.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{row[c] ?? <span className="muted">null</span>}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        Read by {detail.usedBy.length ? detail.usedBy.map((r) => r.name).join(', ') : 'no run yet'} · in a cell:{' '}
        <code>
          await ferry.useDataset(&apos;{detail.dataset.name}@{detail.version.version}&apos;)
        </code>
      </p>
    </section>
  );
}
