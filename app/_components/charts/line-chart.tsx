'use client';

// A small SVG line chart: one line per series over time (or steps), with a dashed threshold. Enough for drift
// over days of reports without a charting library in the bundle.

export interface Series {
  name: string;
  points: Array<{ t: number; v: number }>;
}

const COLORS = ['#2f6feb', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0969da', '#57606a'];

export function LineChart(props: {
  series: Series[];
  threshold?: number;
  height?: number;
  label: string;
  xLabel?: (x: number) => string;
  /** 'fit' scales y to the data's own range (training curves move in the third decimal); 'zero' starts at 0. */
  yRange?: 'zero' | 'fit';
}) {
  const xLabel = props.xLabel ?? ((t: number) => new Date(t).toLocaleTimeString());
  const width = 640;
  const height = props.height ?? 180;
  const pad = { l: 40, r: 10, t: 10, b: 20 };
  const all = props.series.flatMap((s) => s.points);
  if (all.length === 0) return <p className="muted">No data in this window.</p>;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const values = [...all.map((p) => p.v), ...(props.threshold !== undefined ? [props.threshold] : [])];
  const fit = props.yRange === 'fit';
  const lo = fit ? Math.min(...values) : 0;
  const hi = fit ? Math.max(...values) : Math.max(0, ...values);
  const span = hi - lo || Math.abs(hi) || 1;
  const vMin = fit ? lo - span * 0.05 : 0;
  const vMax = fit ? hi + span * 0.05 : hi * 1.1 || 1;
  const x = (t: number) => pad.l + ((t - t0) / (t1 - t0 || 1)) * (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - vMin) / (vMax - vMin)) * (height - pad.t - pad.b);
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={props.label} data-testid="line-chart">
        <line x1={pad.l} x2={pad.l} y1={pad.t} y2={height - pad.b} stroke="#d8dee4" />
        <line x1={pad.l} x2={width - pad.r} y1={height - pad.b} y2={height - pad.b} stroke="#d8dee4" />
        <text x={2} y={pad.t + 8} fontSize="10" fill="#5b6472">
          {fit ? vMax.toPrecision(3) : vMax.toFixed(2)}
        </text>
        <text x={2} y={height - pad.b} fontSize="10" fill="#5b6472">
          {fit ? vMin.toPrecision(3) : 0}
        </text>
        <text x={pad.l} y={height - 4} fontSize="10" fill="#5b6472">
          {xLabel(t0)}
        </text>
        <text x={width - pad.r} y={height - 4} fontSize="10" fill="#5b6472" textAnchor="end">
          {xLabel(t1)}
        </text>
        {props.threshold !== undefined && (
          <line x1={pad.l} x2={width - pad.r} y1={y(props.threshold)} y2={y(props.threshold)} stroke="#cf222e" strokeDasharray="4 3" />
        )}
        {props.series.map((s, i) => (
          <polyline
            key={s.name}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={1.5}
            points={s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="small">
        {props.series.map((s, i) => (
          <span key={s.name} style={{ color: COLORS[i % COLORS.length], marginRight: 10 }}>
            ● {s.name}
          </span>
        ))}
        {props.threshold !== undefined && <span className="muted">- - threshold {props.threshold}</span>}
      </figcaption>
    </figure>
  );
}
