// A small RFC 4180 reader for the offline drift CLI: a header row, quoted fields with "" escapes and
// embedded newlines, CRLF or LF. Ragged rows are an error naming the line, never silently padded.

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export class CsvError extends Error {}

export function parseCsv(text: string, what = 'CSV'): CsvTable {
  const records: Array<{ fields: string[]; line: number }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte order mark
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    recordLine = line;
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRecord();
    } else field += c;
  }
  if (quoted) throw new CsvError(`${what}: a quoted field opened on line ${recordLine} is never closed`);
  if (field !== '' || fields.length > 0) endRecord();
  const [head, ...body] = records;
  if (!head) throw new CsvError(`${what} is empty: a header row is required`);
  const header = head.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const [j, name] of header.entries()) {
    if (name === '') throw new CsvError(`${what}: column ${j + 1} of the header has no name`);
    if (seen.has(name)) throw new CsvError(`${what}: the header names column "${name}" twice`);
    seen.add(name);
  }
  for (const r of body)
    if (r.fields.length !== header.length)
      throw new CsvError(`${what}: line ${r.line} has ${r.fields.length} fields; the header has ${header.length}`);
  return { header, rows: body.map((r) => r.fields) };
}

/** The column's values, '' for missing. */
export function column(table: CsvTable, name: string): string[] {
  const j = table.header.indexOf(name);
  return table.rows.map((r) => r[j]!);
}

/** A column is numeric when every non-empty value is a finite number. */
export function isNumericColumn(values: readonly string[]): boolean {
  let any = false;
  for (const v of values) {
    const t = v.trim();
    if (t === '') continue;
    if (!Number.isFinite(Number(t))) return false;
    any = true;
  }
  return any;
}
