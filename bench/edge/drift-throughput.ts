import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numericDrift } from '../../core/drift/feature-drift';
import { ks2sampSorted } from '../../core/drift/ks';
import { profileNumeric } from '../../core/drift/profile';
import { seededRandom } from '../../core/drift/reservoir';
import { wassersteinSorted } from '../../core/drift/wasserstein';
import type { BenchRow } from '../table';

// Drift statistics on ROWS × FEATURES numeric values, Ferry beside scipy on the same float64 files in
// the same run: KS (statistic and p-value, scipy's default method), Wasserstein, and PSI on the
// reference's deciles. Ferry's numbers include sorting both samples, as scipy's functions do.

const PYTHON = '/usr/bin/python3';

function normals(n: number, mean: number, sd: number, rand: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-300);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * sd;
    out[i] = mean + r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export async function driftThroughput(opts: { rows?: number; features?: number } = {}): Promise<BenchRow[]> {
  const rows = opts.rows ?? Number(process.env.FERRY_BENCH_DRIFT_ROWS ?? 1_000_000);
  const features = opts.features ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-drift-bench-'));
  try {
    const rand = seededRandom(2024);
    const data: Array<{ ref: Float64Array; cur: Float64Array }> = [];
    for (let j = 0; j < features; j++) {
      // Every third feature drifts: a shift of a quarter standard deviation.
      const ref = normals(rows, 0, 1, rand);
      const cur = normals(rows, j % 3 === 0 ? 0.25 : 0, 1, rand);
      writeFileSync(join(dir, `ref-${j}.f64`), new Uint8Array(ref.buffer));
      writeFileSync(join(dir, `cur-${j}.f64`), new Uint8Array(cur.buffer));
      data.push({ ref, cur });
    }
    let ksSeconds = 0;
    let wSeconds = 0;
    let psiSeconds = 0;
    let allSeconds = 0;
    const ksStats: Array<[number, number]> = [];
    for (const { ref, cur } of data) {
      let t = performance.now();
      const a = Float64Array.from(ref).sort();
      const b = Float64Array.from(cur).sort();
      const ks = ks2sampSorted(a, b);
      ksSeconds += (performance.now() - t) / 1000;
      ksStats.push([ks.statistic, ks.pvalue]);
      t = performance.now();
      wassersteinSorted(Float64Array.from(ref).sort(), Float64Array.from(cur).sort());
      wSeconds += (performance.now() - t) / 1000;
      t = performance.now();
      // PSI as a device computes it: deciles of the reference profile, shares of the current window.
      const profile = profileNumeric('x', ref, { sampleSize: 0 });
      numericDrift(profile, cur);
      psiSeconds += (performance.now() - t) / 1000;
      t = performance.now();
      // Everything at once, the way the CLI does it: full reference profile, then every statistic.
      numericDrift(profileNumeric('x', ref, { sampleSize: rows }), cur);
      allSeconds += (performance.now() - t) / 1000;
    }
    const cells = rows * features;
    if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import scipy']).status !== 0) {
      const note = 'scipy missing: apt-get install python3-scipy (Debian python at /usr/bin/python3)';
      return [
        {
          metric: `drift KS, ${rows} rows × ${features}`,
          unit: 's',
          ferry: ksSeconds,
          reference: null,
          referenceName: 'scipy ks_2samp',
          better: 'lower',
          note,
        },
      ];
    }
    const py = spawnSync(PYTHON, ['bench/peers/drift_scipy.py', dir, String(features), String(rows)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (py.status !== 0) throw new Error(`scipy peer failed: ${py.stderr}`);
    const scipy = JSON.parse(py.stdout) as {
      ks: number;
      wasserstein: number;
      psi: number;
      ksStats: Array<[number, number]>;
      scipy: string;
    };
    const worst = Math.max(...ksStats.map(([s], j) => Math.abs(s - scipy.ksStats[j]![0])));
    const worstP = Math.max(
      ...ksStats.map(([, p], j) => Math.abs(p - scipy.ksStats[j]![1]) / Math.max(1e-300, Math.abs(scipy.ksStats[j]![1]) || 1)),
    );
    const agree = `KS statistics equal scipy's to ${worst.toExponential(1)}, p-values to ${worstP.toExponential(1)} relative`;
    return [
      {
        metric: `drift KS (statistic + p), ${rows} rows × ${features}`,
        unit: 's',
        ferry: ksSeconds,
        reference: scipy.ks,
        referenceName: `scipy ${scipy.scipy} ks_2samp`,
        better: 'lower',
        note: agree,
      },
      {
        metric: `drift Wasserstein, ${rows} rows × ${features}`,
        unit: 's',
        ferry: wSeconds,
        reference: scipy.wasserstein,
        referenceName: 'scipy wasserstein_distance',
        better: 'lower',
      },
      {
        metric: `drift PSI (decile bins), ${rows} rows × ${features}`,
        unit: 's',
        ferry: psiSeconds,
        reference: scipy.psi,
        referenceName: 'numpy quantile + bincount',
        better: 'lower',
      },
      {
        metric: `drift, every statistic, rows×features per second`,
        unit: 'values/s',
        ferry: cells / allSeconds,
        reference: cells / (scipy.ks + scipy.wasserstein + scipy.psi),
        referenceName: 'scipy (KS + Wasserstein + PSI)',
        better: 'higher',
        note: 'Ferry also computes Jensen–Shannon and the reference profile',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
