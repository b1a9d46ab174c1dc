'use client';

import { useEffect, useState } from 'react';
import { api } from '../../_lib/api';

interface AbVersion {
  versionId: string;
  label: string | null;
  role: 'primary' | 'variant';
  predictions: number;
  devices: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  outputMean: number | null;
  outputShare: number[];
  feedbackCount: number;
  feedbackKind: 'accuracy' | 'mae' | null;
  feedbackScore: number | null;
}

const COLORS = { primary: '#2f6feb', variant: '#cf222e' };
const fmt = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));

/** Side by side: the two versions of an A/B deployment, with their output distributions overlaid. */
export function AbCompare({ deploymentId }: { deploymentId: string }) {
  const [data, setData] = useState<{ bins: number[]; versions: AbVersion[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      api<{ bins: number[]; versions: AbVersion[] }>('GET', `/api/deployments/${deploymentId}/ab`)
        .then(setData)
        .catch((e: Error) => setError(e.message));
    void load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [deploymentId]);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading A/B statistics…</p>;
  const tallest = Math.max(0.0001, ...data.versions.flatMap((v) => v.outputShare));
  return (
    <div data-testid="ab-compare">
      <table>
        <thead>
          <tr>
            <th>version</th>
            <th>predictions</th>
            <th>devices</th>
            <th>latency p50 / p99 (ms)</th>
            <th>mean output</th>
            <th>feedback</th>
          </tr>
        </thead>
        <tbody>
          {data.versions.map((v) => (
            <tr key={v.versionId}>
              <td style={{ color: COLORS[v.role] }}>
                {v.label} ({v.role})
              </td>
              <td>{v.predictions}</td>
              <td>{v.devices}</td>
              <td>
                {fmt(v.latencyP50Ms, 2)} / {fmt(v.latencyP99Ms, 2)}
              </td>
              <td>{fmt(v.outputMean)}</td>
              <td>
                {v.feedbackCount
                  ? `${v.feedbackKind === 'accuracy' ? 'accuracy' : 'MAE'} ${fmt(v.feedbackScore)} over ${v.feedbackCount} labels`
                  : 'no labels yet'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.bins.length > 0 && (
        <svg viewBox="0 0 400 100" width="100%" style={{ maxWidth: 640 }} role="img" aria-label="output distributions">
          {data.versions.map((v) =>
            v.outputShare.map((share, i) => (
              <rect
                key={`${v.versionId}-${i}`}
                x={i * 20 + (v.role === 'variant' ? 10 : 0)}
                width={9}
                y={100 - (share / tallest) * 95}
                height={(share / tallest) * 95}
                fill={COLORS[v.role]}
                opacity={0.8}
              />
            )),
          )}
        </svg>
      )}
      {data.bins.length > 0 && (
        <p className="small muted">
          first output from {data.bins[0]!.toFixed(3)} to {data.bins[data.bins.length - 1]!.toFixed(3)}, 20 bins
        </p>
      )}
    </div>
  );
}
