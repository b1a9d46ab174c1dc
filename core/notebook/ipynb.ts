import { cellOutputSchema, type CellOutput } from '../contracts/messages/outputs';
import { cellIdSchema, notebookDataSchema, type CellData, type NotebookData } from '../contracts/notebook-schema';
import { newCellId } from './notebook-doc';

// .ipynb (nbformat 4) in and out. Import accepts what Jupyter writes (multiline strings as arrays of
// lines, nbformat 4.0–4.5, cells without ids); export writes nbformat 4.5 with cell ids, so a round
// trip keeps sources, metadata, outputs and ids.

export class IpynbError extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** nbformat's "multiline string": a string or an array of lines. */
function multiline(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  if (value === undefined) return '';
  throw new IpynbError(`${where} must be a string or a list of strings`);
}

function mimeBundle(data: unknown, where: string): Record<string, unknown> {
  if (!isObject(data)) throw new IpynbError(`${where} must be an object of MIME types`);
  const out: Record<string, unknown> = {};
  for (const [mime, value] of Object.entries(data))
    // JSON MIME types hold structures; every other type is (multiline) text or base64.
    out[mime] = /json$/.test(mime) && !Array.isArray(value) ? value : multiline(value, `${where}["${mime}"]`);
  return out;
}

function output(raw: unknown, where: string): CellOutput {
  if (!isObject(raw)) throw new IpynbError(`${where} must be an object`);
  const normalised: Json = { ...raw };
  if (raw.output_type === 'stream') normalised.text = multiline(raw.text, `${where}.text`);
  if (raw.output_type === 'execute_result' || raw.output_type === 'display_data') {
    normalised.data = mimeBundle(raw.data, `${where}.data`);
    normalised.metadata = isObject(raw.metadata) ? raw.metadata : {};
  }
  if (raw.output_type === 'execute_result')
    normalised.execution_count = typeof raw.execution_count === 'number' ? raw.execution_count : null;
  const parsed = cellOutputSchema.safeParse(normalised);
  if (!parsed.success)
    throw new IpynbError(
      `${where}: not a valid output (${parsed.error.issues.map((i) => `${i.path.join('.') || 'output'}: ${i.message}`).join('; ')})`,
    );
  return parsed.data;
}

function cell(raw: unknown, index: number, ids: Set<string>): CellData {
  const where = `cells[${index}]`;
  if (!isObject(raw)) throw new IpynbError(`${where} must be an object`);
  const type = raw.cell_type;
  if (type !== 'code' && type !== 'markdown' && type !== 'raw') throw new IpynbError(`${where}.cell_type must be code, markdown or raw`);
  // Ids are kept when valid and unique; notebooks before 4.5 (or with clashes) get new ones.
  let id = typeof raw.id === 'string' && cellIdSchema.safeParse(raw.id).success && !ids.has(raw.id) ? raw.id : newCellId();
  while (ids.has(id)) id = newCellId();
  ids.add(id);
  const outputs = type === 'code' ? (Array.isArray(raw.outputs) ? raw.outputs : []).map((o, j) => output(o, `${where}.outputs[${j}]`)) : [];
  return {
    id,
    cell_type: type,
    source: multiline(raw.source, `${where}.source`),
    metadata: isObject(raw.metadata) ? raw.metadata : {},
    outputs,
    execution_count: type === 'code' && typeof raw.execution_count === 'number' ? raw.execution_count : null,
    execution_state: 'idle',
    attachments: isObject(raw.attachments) ? raw.attachments : null,
  };
}

/** Parses an .ipynb document (text or parsed JSON) into Ferry's notebook data; throws IpynbError naming what is wrong. */
export function fromIpynb(input: string | unknown): NotebookData {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (error) {
      throw new IpynbError(`not JSON: ${(error as Error).message}`);
    }
  }
  if (!isObject(json)) throw new IpynbError('an .ipynb file is a JSON object');
  if (json.nbformat !== 4) throw new IpynbError(`only nbformat 4 notebooks can be imported (this one is ${String(json.nbformat)})`);
  if (!Array.isArray(json.cells)) throw new IpynbError('cells must be a list');
  const ids = new Set<string>();
  const data = {
    nbformat: 4 as const,
    nbformat_minor: 5,
    metadata: isObject(json.metadata) ? json.metadata : {},
    cells: json.cells.map((c, i) => cell(c, i, ids)),
  };
  const checked = notebookDataSchema.safeParse(data);
  if (!checked.success) throw new IpynbError(checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return checked.data;
}

/** Lines with their newlines, as Jupyter writes multiline strings (diff-friendly). */
function lines(text: string): string[] {
  return text === '' ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

function outputToIpynb(o: CellOutput): Json {
  switch (o.output_type) {
    case 'stream':
      return { output_type: 'stream', name: o.name, text: lines(o.text) };
    case 'error':
      return { ...o };
    case 'execute_result':
    case 'display_data': {
      const data: Json = {};
      for (const [mime, value] of Object.entries(o.data))
        data[mime] = typeof value === 'string' && mime.startsWith('text/') ? lines(value) : value;
      return { ...o, data };
    }
  }
}

/** nbformat 4.5 JSON of a notebook: what Jupyter, VS Code and Colab open. */
export function toIpynb(data: NotebookData): Json {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: data.metadata,
    cells: data.cells.map((c) => {
      const base: Json = { id: c.id, cell_type: c.cell_type, metadata: c.metadata, source: lines(c.source) };
      if (c.cell_type === 'code') return { ...base, execution_count: c.execution_count, outputs: c.outputs.map(outputToIpynb) };
      return c.attachments ? { ...base, attachments: c.attachments } : base;
    }),
  };
}

/** The notebook as one TypeScript file: code cells in order, markdown as comments, cells marked `// %%`. */
export function toTypeScript(data: NotebookData, title: string): string {
  const parts = [`// ${title} — exported from Ferry`];
  for (const c of data.cells) {
    if (c.cell_type === 'code') parts.push(`// %% [${c.id}]\n${c.source.trimEnd()}`);
    else
      parts.push(
        `// %% [${c.cell_type}]\n${c.source
          .trimEnd()
          .split('\n')
          .map((l) => (l ? `// ${l}` : '//'))
          .join('\n')}`,
      );
  }
  return `${parts.join('\n\n')}\n`;
}
