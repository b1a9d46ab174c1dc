'use client';

import { useMemo, useState } from 'react';
import { LineChart, type Series } from '../charts/line-chart';

export interface DriftReportRow {
  deviceId: string;
  deviceName: string;
  model: string | null;
  windowEnd: string;
  sampleCount: number;
  features: Array<{ name: string; psi: number | null; ks: { statistic: number } | null; drift: boolean }>;
  predictions: Array<{ name: string; psi: number | null; ks: { statistic: number } | null; drift: boolean }>;
}

type Stat = 'psi' | 'ks';

/** Drift over time, per model and feature: one line per device, the alert threshold dashed. */
export function DriftPanel({ reports }: { reports: DriftReportRow[] }) {
  const models = useMemo(() => [...new Set(reports.map((r) => r.model ?? 'unknown'))], [reports]);
  const [model, setModel] = useState<string | null>(null);
  const [stat, setStat] = useState<Stat>('psi');
  const chosen = model ?? models[0] ?? null;
  const mine = reports.filter((r) => (r.model ?? 'unknown') === chosen);
  const features = [
    ...new Set(mine.flatMap((r) => [...r.features.map((f) => f.name), ...r.predictions.map((p) => `prediction:${p.name}`)])),
  ];
  if (reports.length === 0) return <p className="muted">No drift reports in this window yet.</p>;
  return (
    <div data-testid="drift-panel">
      <div className="row">
        <label>
          model{' '}
          <select value={chosen ?? ''} onChange={(e) => setModel(e.target.value)}>
            {models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          statistic{' '}
          <select value={stat} onChange={(e) => setStat(e.target.value as Stat)}>
            <option value="psi">PSI (threshold 0.2)</option>
            <option value="ks">KS statistic</option>
          </select>
        </label>
      </div>
      {features.map((feature) => {
        const byDevice = new Map<string, Series>();
        for (const r of mine) {
          const f = feature.startsWith('prediction:')
            ? r.predictions.find((p) => `prediction:${p.name}` === feature)
            : r.features.find((x) => x.name === feature);
          const v = stat === 'psi' ? f?.psi : f?.ks?.statistic;
          if (v === null || v === undefined) continue;
          const s = byDevice.get(r.deviceName) ?? { name: r.deviceName, points: [] };
          s.points.push({ t: Date.parse(r.windowEnd), v });
          byDevice.set(r.deviceName, s);
        }
        return (
          <section key={feature} className="panel">
            <h3 className="small">{feature}</h3>
            <LineChart series={[...byDevice.values()]} threshold={stat === 'psi' ? 0.2 : undefined} label={`${stat} of ${feature}`} />
          </section>
        );
      })}
    </div>
  );
}
