'use client';

import { useEffect, useState } from 'react';
import { api } from '../../_lib/api';
import { LineChart, type Series } from '../charts/line-chart';

interface Chart {
  series: Array<{ runId: string; buckets: Array<{ step: number; last: number }> }>;
}

/** One metric of one run by step, downsampled by the server to the chart's width; refreshed while live. */
export function MetricChart(props: { runId: string; runName: string; metric: string; live: boolean }) {
  const [chart, setChart] = useState<Chart | null>(null);
  useEffect(() => {
    const load = () =>
      api<Chart>('GET', `/api/runs/metric-chart?runIds=${props.runId}&key=${encodeURIComponent(props.metric)}&width=600`)
        .then(setChart)
        .catch(() => undefined);
    void load();
    if (!props.live) return;
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, [props.runId, props.metric, props.live]);
  const series: Series[] = (chart?.series ?? []).map((s) => ({
    name: props.runName,
    points: s.buckets.map((b) => ({ t: b.step, v: b.last })),
  }));
  return (
    <div data-testid="run-metric-chart">
      <h3 className="small">{props.metric}</h3>
      <LineChart series={series} label={`${props.metric} by step`} xLabel={(s) => `step ${s}`} height={140} yRange="fit" />
    </div>
  );
}
