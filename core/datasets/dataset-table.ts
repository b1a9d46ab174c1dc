import { CsvError, isNumericColumn, parseCsv } from '../drift/csv-table';
import { profileCategorical, profileColumns, profileNumeric, type ReferenceProfile } from '../drift/profile';

// A dataset file (CSV with a header, or JSON lines of flat objects) read into typed columns, with the
// schema and per-column profile shown on the dataset page and used as a drift reference.

export type DatasetFormat = 'csv' | 'jsonl';
export type ColumnType = 'numeric' | 'categorical';
export type Cell = number | string | null;

export interface DatasetTable {
  columns: Array<{ name: string; type: ColumnType; values: Cell[] }>;
  rows: number;
}

export class DatasetError extends Error {}

function fromCsv(text: string): { names: string[]; raw: string[][] } {
  try {
    const t = parseCsv(text, 'the CSV file');
    return { names: t.header, raw: t.header.map((_, j) => t.rows.map((r) => r[j]!)) };
  } catch (error) {
    if (error instanceof CsvError) throw new DatasetError(error.message);
    throw error;
  }
}

function fromJsonl(text: string): { names: string[]; raw: string[][] } {
  const records: Array<Record<string, unknown>> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DatasetError(`line ${i + 1} is not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DatasetError(`line ${i + 1} is not a JSON object`);
    records.push(value as Record<string, unknown>);
  });
  if (records.length === 0) throw new DatasetError('the file has no records');
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const raw = names.map((name) =>
    records.map((r, i) => {
      const v = r[name];
      if (v === null || v === undefined) return '';
      if (typeof v === 'object') throw new DatasetError(`line ${i + 1}: "${name}" is nested; datasets hold flat records`);
      return String(v);
    }),
  );
  return { names, raw };
}

export function readDataset(text: string, format: DatasetFormat): DatasetTable {
  const { names, raw } = format === 'csv' ? fromCsv(text) : fromJsonl(text);
  const rows = raw[0]?.length ?? 0;
  if (rows === 0) throw new DatasetError('the file has a header but no rows');
  return {
    rows,
    columns: names.map((name, j) => {
      const values = raw[j]!;
      const numeric = isNumericColumn(values);
      return {
        name,
        type: numeric ? 'numeric' : 'categorical',
        values: values.map((v) => (v.trim() === '' ? null : numeric ? Number(v) : v)),
      };
    }),
  };
}

const TOP = 10;

/** Schema and per-column profile: quantiles and a histogram for numbers, the top categories for text. */
export function profileDataset(table: DatasetTable) {
  return {
    schema: table.columns.map((c) => ({ name: c.name, type: c.type })),
    profile: table.columns.map((c) => {
      if (c.type === 'numeric') {
        const p = profileNumeric(c.name, c.values, { sampleSize: 0 });
        return {
          name: c.name,
          type: c.type,
          count: p.count,
          nulls: p.nulls,
          mean: p.mean,
          std: p.std,
          min: p.min,
          max: p.max,
          quantiles: p.quantiles,
          histogram: p.histogram,
        };
      }
      const p = profileCategorical(c.name, c.values);
      const top = Object.entries(p.frequencies)
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([value, share]) => ({ value, share }));
      return { name: c.name, type: c.type, count: p.count, nulls: p.nulls, distinct: Object.keys(p.frequencies).length, top };
    }),
  };
}

/** The first rows as records, for the preview table and for `ferry.useDataset` (all rows). */
export function records(table: DatasetTable, limit = Infinity): Array<Record<string, Cell>> {
  const n = Math.min(limit, table.rows);
  return Array.from({ length: n }, (_, i) => Object.fromEntries(table.columns.map((c) => [c.name, c.values[i]!])));
}

/**
 * A drift reference (with the reservoir sample KS and Wasserstein need) for the model's input features
 * taken from the dataset it was trained on; every feature must be a column of the dataset.
 */
export function referenceProfileFromTable(table: DatasetTable, featureNames: string[]): ReferenceProfile {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const missing = featureNames.filter((n) => !byName.has(n));
  if (missing.length > 0) throw new DatasetError(`the dataset has no column ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  return profileColumns(Object.fromEntries(featureNames.map((n) => [n, byName.get(n)!.values])), {
    types: Object.fromEntries(featureNames.map((n) => [n, byName.get(n)!.type])),
  });
}
