// MIME bundles (nbformat display_data / execute_result `data`): which type a cell output shows, and
// the table shapes the table renderer accepts. Shared by the kernel (what display() emits) and the UI.

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';
export const VEGA_MIME = 'application/vnd.vega.v5+json';
/** Frictionless data resource `{ schema: { fields }, data }`: pandas' and nteract's table type. */
export const TABLE_MIME = 'application/vnd.dataresource+json';

/** Richest first, as JupyterLab orders its renderers. Older Vega-Lite versions render with the same code. */
export const MIME_ORDER = [
  VEGALITE_MIME,
  'application/vnd.vegalite.v4+json',
  'application/vnd.vegalite.v3+json',
  VEGA_MIME,
  'application/vnd.vega.v4+json',
  TABLE_MIME,
  'text/html',
  'image/svg+xml',
  'image/png',
  'image/jpeg',
  'image/gif',
  'text/markdown',
  'application/json',
  'text/latex',
  'text/plain',
] as const;

export type MimeKind = 'vegalite' | 'vega' | 'table' | 'html' | 'svg' | 'image' | 'markdown' | 'json' | 'text';

export function mimeKind(mime: string): MimeKind {
  if (mime.startsWith('application/vnd.vegalite.')) return 'vegalite';
  if (mime.startsWith('application/vnd.vega.')) return 'vega';
  if (mime === TABLE_MIME) return 'table';
  if (mime === 'text/html') return 'html';
  if (mime === 'image/svg+xml') return 'svg';
  if (mime.startsWith('image/')) return 'image';
  if (mime === 'text/markdown') return 'markdown';
  if (mime === 'application/json' || mime.endsWith('+json')) return 'json';
  return 'text';
}

/** The MIME type to show from a bundle: the first of MIME_ORDER it has, else any +json, else any text. */
export function pickMime(data: Record<string, unknown>): string | null {
  for (const mime of MIME_ORDER) if (data[mime] !== undefined && data[mime] !== null) return mime;
  const keys = Object.keys(data);
  return keys.find((k) => k.endsWith('json')) ?? keys.find((k) => typeof data[k] === 'string') ?? keys[0] ?? null;
}

/** Text from an nbformat value that may still be a list of lines. */
export function mimeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) return value.join('');
  return JSON.stringify(value, null, 2);
}

export interface TableField {
  name: string;
  type: string;
}
export interface TableData {
  fields: TableField[];
  rows: Array<Record<string, unknown>>;
  truncatedFrom?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(values: unknown[]): string {
  const kinds = new Set(values.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (kinds.size !== 1) return kinds.size === 0 ? 'any' : 'string';
  const [kind] = kinds;
  return kind === 'number' || kind === 'boolean' ? kind : 'string';
}

function fromRecords(rows: Array<Record<string, unknown>>, fields?: TableField[]): TableData {
  const names: string[] = fields?.map((f) => f.name) ?? [];
  if (!fields) for (const row of rows) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
  return { rows, fields: fields ?? names.map((name) => ({ name, type: typeOf(rows.map((r) => r[name])) })) };
}

/**
 * A table from a data resource, an array of records or a 2-D array; null when the value is none of
 * these (then it shows as JSON).
 */
export function tableOf(value: unknown): TableData | null {
  if (isRecord(value) && Array.isArray(value.data) && value.data.every(isRecord)) {
    const schema = isRecord(value.schema) && Array.isArray(value.schema.fields) ? value.schema.fields : undefined;
    const fields = schema
      ?.filter(isRecord)
      .map((f) => ({ name: String(f.name), type: typeof f.type === 'string' ? f.type : 'any' }))
      // pandas adds its index as a column; it is kept (it names the rows).
      .filter((f) => f.name !== 'undefined');
    const table = fromRecords(value.data as Array<Record<string, unknown>>, fields && fields.length ? fields : undefined);
    return typeof value.truncatedFrom === 'number' ? { ...table, truncatedFrom: value.truncatedFrom } : table;
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) return fromRecords(value as Array<Record<string, unknown>>);
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((r) => Array.isArray(r) && r.every((c) => !isRecord(c) && !Array.isArray(c)))
  ) {
    const width = Math.max(...(value as unknown[][]).map((r) => r.length));
    const rows = (value as unknown[][]).map((r) => Object.fromEntries(Array.from({ length: width }, (_, i) => [String(i), r[i] ?? null])));
    return fromRecords(rows);
  }
  return null;
}

/** Sorts rows by one column: numbers numerically, nulls last, the rest as text. */
export function sortRows(rows: Array<Record<string, unknown>>, column: string, descending: boolean): Array<Record<string, unknown>> {
  const cmp = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return 1;
    if (b === null || b === undefined) return -1;
    if (typeof a === 'number' && typeof b === 'number') return descending ? b - a : a - b;
    const r = String(a).localeCompare(String(b), undefined, { numeric: true });
    return descending ? -r : r;
  };
  return [...rows].sort((x, y) => cmp(x[column], y[column]));
}

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');
