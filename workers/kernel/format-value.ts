import { inspect } from 'node:util';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { TABLE_MIME, VEGA_MIME, VEGALITE_MIME } from '../../core/notebook/mime';

/** The execute_result of a cell's last expression, or null when there is nothing to show. */
export function resultOutput(value: unknown, executionCount: number): CellOutput | null {
  if (value === undefined) return null;
  return { output_type: 'execute_result', execution_count: executionCount, data: { 'text/plain': textOf(value) }, metadata: {} };
}

export function textOf(value: unknown): string {
  if (typeof value === 'string') return inspect(value);
  if (isTensor(value)) return value.toString();
  return inspect(value, { depth: 4, maxArrayLength: 100, breakLength: 100 });
}

interface TensorLike {
  toString(): string;
  dataSync: unknown;
  shape: number[];
  arraySync(): unknown;
}

function isTensor(value: unknown): value is TensorLike {
  return typeof value === 'object' && value !== null && 'dataSync' in value && 'shape' in value;
}

/** Rows beyond this are left out of a table output (the bundle says how many there were). */
export const MAX_TABLE_ROWS = 5000;

type Bundle = Record<string, string | Record<string, unknown> | unknown[]>;

const display = (data: Bundle, metadata: Record<string, unknown> = {}): CellOutput => ({ output_type: 'display_data', data, metadata });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** An array of plain objects: the usual "rows" shape (dataset rows, a query result). */
export function isRecordArray(value: unknown): value is Array<Record<string, unknown>> {
  return Array.isArray(value) && value.length > 0 && value.every(isRecord);
}

const isMatrix = (value: unknown): value is unknown[][] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((row) => Array.isArray(row) && row.every((c) => typeof c !== 'object' || c === null));

/** A cell value as JSON: numbers, strings, booleans and null stay; anything else becomes its text. */
function cellJson(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return inspect(value, { depth: 2, breakLength: Infinity });
}

function fieldType(values: unknown[]): string {
  const kinds = new Set(values.filter((v) => v !== null && v !== undefined).map((v) => typeof v));
  if (kinds.size === 0) return 'any';
  if (kinds.size > 1) return 'string';
  const [kind] = kinds;
  return kind === 'number' ? 'number' : kind === 'boolean' ? 'boolean' : 'string';
}

/**
 * A table as a Frictionless data resource (the MIME type pandas and nteract use for tables):
 * `{ schema: { fields: [{ name, type }] }, data: [rows] }`, with a text/plain fallback.
 */
export function tableOutput(rows: Array<Record<string, unknown>> | unknown[][]): CellOutput {
  const records: Array<Record<string, unknown>> = isMatrix(rows)
    ? rows.map((row) => Object.fromEntries(row.map((c, i) => [String(i), c])))
    : (rows as Array<Record<string, unknown>>);
  const names: string[] = [];
  for (const row of records.slice(0, MAX_TABLE_ROWS)) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
  const data = records.slice(0, MAX_TABLE_ROWS).map((row) => Object.fromEntries(names.map((n) => [n, cellJson(row[n])])));
  const fields = names.map((name) => ({ name, type: fieldType(data.map((r) => r[name])) }));
  return display(
    {
      [TABLE_MIME]: { schema: { fields }, data, ...(records.length > data.length ? { truncatedFrom: records.length } : {}) },
      'text/plain': textOf(rows),
    },
    {},
  );
}

const chartText = (kind: string, spec: Record<string, unknown>) =>
  `${kind} chart${typeof spec.title === 'string' ? `: ${spec.title}` : typeof spec.description === 'string' ? `: ${spec.description}` : ''}`;

/**
 * display(x): rich values as display_data, by kind.
 *  - `{ html }`, `{ png }` (base64), `{ svg }`, `{ markdown }` → that MIME type
 *  - an object whose `$schema` names vega-lite (or vega) → a chart
 *  - an array of plain objects, a 2-D array of scalars or a 2-D tensor → a table
 *  - anything else → its text
 */
export function displayOutput(value: unknown): CellOutput {
  if (isTensor(value) && value.shape.length === 2) return tableOutput(value.arraySync() as unknown[][]);
  if (isRecordArray(value) || isMatrix(value)) return tableOutput(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (typeof v.html === 'string') return htmlOutput(v.html);
    if (typeof v.png === 'string') return display({ 'image/png': v.png, 'text/plain': '[image/png]' });
    if (typeof v.jpeg === 'string') return display({ 'image/jpeg': v.jpeg, 'text/plain': '[image/jpeg]' });
    if (typeof v.svg === 'string') return display({ 'image/svg+xml': v.svg, 'text/plain': '[image/svg+xml]' });
    if (typeof v.markdown === 'string') return display({ 'text/markdown': v.markdown, 'text/plain': v.markdown });
    if (typeof v.$schema === 'string' && v.$schema.includes('vega-lite')) return vegaLiteOutput(v);
    if (typeof v.$schema === 'string' && /\/vega\/v\d/.test(v.$schema)) return vegaOutput(v);
  }
  return display({ 'text/plain': textOf(value) });
}

const htmlOutput = (html: string) => display({ 'text/html': html, 'text/plain': html.replace(/<[^>]*>/g, '').slice(0, 2000) || '[html]' });
const vegaLiteOutput = (spec: Record<string, unknown>) => display({ [VEGALITE_MIME]: spec, 'text/plain': chartText('Vega-Lite', spec) });
const vegaOutput = (spec: Record<string, unknown>) => display({ [VEGA_MIME]: spec, 'text/plain': chartText('Vega', spec) });

/** What a cell calls `display`: the detecting function plus explicit forms (documented in README and kernel-globals). */
export function createDisplay(emit: (output: CellOutput) => void) {
  const fn = (value: unknown) => emit(displayOutput(value));
  return Object.assign(fn, {
    html: (html: string) => emit(htmlOutput(String(html))),
    markdown: (md: string) => emit(display({ 'text/markdown': String(md), 'text/plain': String(md) })),
    svg: (svg: string) => emit(display({ 'image/svg+xml': String(svg), 'text/plain': '[image/svg+xml]' })),
    png: (base64: string) => emit(display({ 'image/png': String(base64), 'text/plain': '[image/png]' })),
    jpeg: (base64: string) => emit(display({ 'image/jpeg': String(base64), 'text/plain': '[image/jpeg]' })),
    json: (value: unknown) =>
      emit(
        display({ 'application/json': JSON.parse(JSON.stringify(value ?? null)) as Record<string, unknown>, 'text/plain': textOf(value) }),
      ),
    vegaLite: (spec: Record<string, unknown>) => emit(vegaLiteOutput(spec)),
    vega: (spec: Record<string, unknown>) => emit(vegaOutput(spec)),
    table: (rows: Array<Record<string, unknown>> | unknown[][] | TensorLike) =>
      emit(tableOutput(isTensor(rows) ? (rows.arraySync() as unknown[][]) : rows)),
    /** A whole MIME bundle, e.g. { 'text/html': …, 'text/plain': … }. */
    mime: (data: Bundle, metadata: Record<string, unknown> = {}) => emit(display(data, metadata)),
  });
}
