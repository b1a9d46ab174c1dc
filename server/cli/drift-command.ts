import { readFileSync } from 'node:fs';
import { featureDrift, type FeatureDrift } from '../../core/drift/feature-drift';
import { profileCategorical, profileNumeric } from '../../core/drift/profile';
import { column, CsvError, isNumericColumn, parseCsv, type CsvTable } from '../../core/drift/csv-table';

// `npm run ferry -- drift --reference ref.csv --current cur.csv [--json]`: the agent's drift statistics
// offline, on two CSV files. The reference is used whole (not a 1000-value sample as on devices), so
// KS and Wasserstein equal scipy's ks_2samp and wasserstein_distance on the same columns.

export interface DriftCommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function readTable(path: string, flag: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CsvError(
      `${flag} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  return parseCsv(text, path);
}

/** Per feature: numeric statistics for numeric columns, categorical ones otherwise; the rest null. */
export function driftOfTables(reference: CsvTable, current: CsvTable): FeatureDrift[] {
  const missing = current.header.filter((h) => !reference.header.includes(h));
  if (missing.length) throw new CsvError(`the current file has columns the reference lacks: ${missing.join(', ')}`);
  const absent = reference.header.filter((h) => !current.header.includes(h));
  if (absent.length) throw new CsvError(`the current file lacks reference columns: ${absent.join(', ')}`);
  return reference.header.map((name) => {
    const ref = column(reference, name);
    const cur = column(current, name);
    if (!ref.some((v) => v.trim() !== '')) throw new CsvError(`column ${name} has no values in the reference`);
    if (!cur.some((v) => v.trim() !== '')) throw new CsvError(`column ${name} has no values in the current file`);
    if (isNumericColumn(ref) && isNumericColumn(cur)) {
      const toNumbers = (vs: string[]) => vs.map((v) => (v.trim() === '' ? null : Number(v)));
      const refValues = toNumbers(ref);
      const profile = profileNumeric(name, refValues, { sampleSize: refValues.length });
      return { ...featureDrift(profile, toNumbers(cur)), jensenshannon: null };
    }
    return featureDrift(profileCategorical(name, ref), cur);
  });
}

function table(features: FeatureDrift[]): string {
  const f = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '—' : v.toFixed(digits));
  const g = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toExponential(2));
  const header = ['feature', 'type', 'PSI', 'KS', 'KS p', 'Wasserstein', 'JS', 'χ²', 'χ² p', 'drift'];
  const rows = features.map((x) => [
    x.name,
    x.type,
    f(x.psi),
    f(x.ks?.statistic),
    g(x.ks?.pvalue),
    f(x.wasserstein),
    f(x.jensenshannon),
    f(x.chi2?.statistic, 2),
    g(x.chi2?.pvalue),
    x.drift ? 'DRIFT' : 'ok',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const drifting = features.filter((x) => x.drift).length;
  return [line(header), ...rows.map(line), `${drifting} of ${features.length} features drift (PSI ≥ 0.2, or KS / χ² p < 0.05)`].join('\n');
}

export function driftCommand(opts: { reference?: string; current?: string; json?: boolean }): DriftCommandResult {
  if (!opts.reference || !opts.current)
    return { exitCode: 2, stdout: '', stderr: 'usage: npm run ferry -- drift --reference ref.csv --current cur.csv [--json]' };
  try {
    const features = driftOfTables(readTable(opts.reference, '--reference'), readTable(opts.current, '--current'));
    const stdout = opts.json
      ? JSON.stringify({
          features: features.map((x) => ({
            name: x.name,
            type: x.type,
            psi: x.psi,
            ks: x.ks && { statistic: x.ks.statistic, pvalue: x.ks.pvalue },
            wasserstein: x.wasserstein,
            jensenshannon: x.jensenshannon,
            chi2: x.chi2 && { statistic: x.chi2.statistic, pvalue: x.chi2.pvalue },
            drift: x.drift,
          })),
        })
      : table(features);
    return { exitCode: 0, stdout, stderr: '' };
  } catch (error) {
    if (error instanceof CsvError) return { exitCode: 2, stdout: '', stderr: `ferry drift: ${error.message}` };
    throw error;
  }
}
