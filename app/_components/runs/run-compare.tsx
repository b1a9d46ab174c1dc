'use client';

import { useEffect, useState } from 'react';
import { api } from '../../_lib/api';
import { LineChart, type Series } from '../charts/line-chart';

export interface ComparedRun {
  id: string;
  name: string;
  status: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
}

interface Chart {
  series: Array<{ runId: string; buckets: Array<{ step: number; min: number; max: number; last: number }> }>;
}

/** 2–10 runs side by side: the params that differ, and a metric overlaid (downsampled on the server; live while running). */
export function RunCompare({ runs }: { runs: ComparedRun[] }) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const [metric, setMetric] = useState<string>(keys[0] ?? '');
  const [chart, setChart] = useState<Chart | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = runs.map((r) => r.id).join(',');
  const live = runs.some((r) => r.status === 'running');
  useEffect(() => {
    if (!metric) return;
    const load = () =>
      api<Chart>('GET', `/api/runs/metric-chart?runIds=${ids}&key=${encodeURIComponent(metric)}&width=600`)
        .then((c) => (setChart(c), setError(null)))
        .catch((e: Error) => setError(e.message));
    void load();
    if (!live) return;
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [ids, metric, live]);
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const differs = (k: string) => new Set(runs.map((r) => r.params[k] ?? '∅')).size > 1;
  const series: Series[] = (chart?.series ?? []).map((s) => ({
    name: runs.find((r) => r.id === s.runId)?.name ?? s.runId.slice(0, 8),
    points: s.buckets.map((b) => ({ t: b.step, v: b.last })),
  }));
  return (
    <section className="panel" data-testid="run-compare">
      <h2>Compare {runs.length} runs</h2>
      <table>
        <thead>
          <tr>
            <th>param</th>
            {runs.map((r) => (
              <th key={r.id}>{r.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {paramKeys.map((k) => (
            <tr key={k} style={differs(k) ? { background: '#fff8c5' } : undefined} data-testid={differs(k) ? 'param-differs' : undefined}>
              <td>{k}</td>
              {runs.map((r) => (
                <td key={r.id}>{r.params[k] ?? '—'}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {keys.length > 0 && (
        <label>
          metric{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value)}>
            {keys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      )}
      {error && <p className="error">{error}</p>}
      {chart && <StepChart series={series} label={`${metric} by step`} />}
    </section>
  );
}

function StepChart({ series, label }: { series: Series[]; label: string }) {
  // The line chart draws time on x; steps are plain numbers, so the axis labels say "step".
  return (
    <div>
      <LineChart series={series} label={label} xLabel={(x) => `step ${Math.round(x)}`} yRange="fit" />
    </div>
  );
}
