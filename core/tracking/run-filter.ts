// MLflow's run search language, parsed into clauses Ferry's SQL builder understands:
//   metrics.rmse < 0.5 and params.model = 'mlp' and tags.`team name` LIKE 'vision%' and attributes.status = 'FINISHED'
// and order_by entries such as "metrics.rmse DESC", "attributes.start_time". Only AND joins clauses,
// as in MLflow. Errors say which token is wrong.

export type EntityKind = 'metric' | 'param' | 'tag' | 'attribute';
export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export interface FilterClause {
  kind: EntityKind;
  key: string;
  op: Comparator;
  value: string | number | string[];
}

export interface OrderBy {
  kind: EntityKind;
  key: string;
  descending: boolean;
}

export class FilterError extends Error {}

export const RUN_ATTRIBUTES = ['status', 'start_time', 'end_time', 'run_name', 'run_id', 'user_id', 'lifecycle_stage'] as const;
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);

const PREFIXES: Record<string, EntityKind> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
};

type Token = { type: 'word' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'comma' | 'quoted'; text: string; at: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === "'" || c === '"' || c === '`') {
      let text = '';
      i++;
      while (i < input.length && input[i] !== c) {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        text += input[i++];
      }
      if (i >= input.length) throw new FilterError(`unterminated ${c === '`' ? 'backtick' : 'quoted'} text at position ${at}`);
      i++;
      tokens.push({ type: c === '`' ? 'quoted' : 'string', text, at });
      continue;
    }
    const op = input.slice(i).match(/^(<=|>=|!=|=|<|>)/);
    if (op) {
      tokens.push({ type: 'op', text: op[1]!, at });
      i += op[1]!.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, at });
      i++;
      continue;
    }
    const num = input.slice(i).match(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])/);
    if (num) {
      tokens.push({ type: 'number', text: num[0], at });
      i += num[0].length;
      continue;
    }
    const word = input.slice(i).match(/^[A-Za-z_][\w.-]*/);
    if (!word) throw new FilterError(`unexpected "${c}" at position ${at}`);
    tokens.push({ type: 'word', text: word[0], at });
    i += word[0].length;
  }
  return tokens;
}

/** `metrics.rmse`, ``tags.`a b` ``, `params."x"`; a bare name is an attribute (`status`, `run_name`). */
function identifier(tokens: Token[], pos: number): { kind: EntityKind; key: string; next: number } {
  const t = tokens[pos];
  if (!t || t.type !== 'word')
    throw new FilterError(`expected a metric, param, tag or attribute name${t ? ` at position ${t.at}` : ' at the end'}`);
  const dot = t.text.indexOf('.');
  let kind: EntityKind;
  let key: string;
  let next = pos + 1;
  if (dot < 0) {
    if (t.text.toLowerCase() in PREFIXES && tokens[next]?.type === 'quoted') throw new FilterError(`write ${t.text}.\`name\` with a dot`);
    kind = 'attribute';
    key = t.text;
  } else {
    const prefix = t.text.slice(0, dot).toLowerCase();
    const resolved = PREFIXES[prefix];
    if (!resolved) throw new FilterError(`unknown entity "${t.text.slice(0, dot)}" (use metrics., params., tags. or attributes.)`);
    kind = resolved;
    key = t.text.slice(dot + 1);
    if (key === '' && (tokens[next]?.type === 'quoted' || tokens[next]?.type === 'string')) key = tokens[next++]!.text;
  }
  if (key === '') throw new FilterError(`a name is missing after "${t.text}"`);
  if (kind === 'attribute' && !(RUN_ATTRIBUTES as readonly string[]).includes(key))
    throw new FilterError(`unknown attribute "${key}" (one of ${RUN_ATTRIBUTES.join(', ')})`);
  return { kind, key, next };
}

export function parseRunFilter(filter: string | undefined | null): FilterClause[] {
  if (!filter || filter.trim() === '') return [];
  const tokens = tokenize(filter);
  const clauses: FilterClause[] = [];
  let pos = 0;
  for (;;) {
    const id = identifier(tokens, pos);
    pos = id.next;
    let op: Comparator;
    const t = tokens[pos];
    if (t?.type === 'op') op = t.text as Comparator;
    else if (t?.type === 'word' && /^(like|ilike|in)$/i.test(t.text)) op = t.text.toUpperCase() as Comparator;
    else if (t?.type === 'word' && /^not$/i.test(t.text) && /^in$/i.test(tokens[pos + 1]?.text ?? '')) {
      op = 'NOT IN';
      pos++;
    } else throw new FilterError(`expected a comparison (=, !=, <, <=, >, >=, LIKE, ILIKE, IN) after ${id.kind} "${id.key}"`);
    pos++;
    let value: FilterClause['value'];
    if (op === 'IN' || op === 'NOT IN') {
      if (tokens[pos]?.type !== 'lparen') throw new FilterError(`IN needs a list: ${id.key} IN ('a', 'b')`);
      pos++;
      const list: string[] = [];
      while (tokens[pos] && tokens[pos]!.type !== 'rparen') {
        const v = tokens[pos]!;
        if (v.type !== 'string' && v.type !== 'number') throw new FilterError(`IN lists hold quoted strings or numbers (position ${v.at})`);
        list.push(v.text);
        pos++;
        if (tokens[pos]?.type === 'comma') pos++;
      }
      if (tokens[pos]?.type !== 'rparen') throw new FilterError('an IN list is not closed with ")"');
      pos++;
      value = list;
    } else {
      const v = tokens[pos];
      if (!v || (v.type !== 'string' && v.type !== 'number')) throw new FilterError(`expected a value after ${id.key} ${op}`);
      pos++;
      value = v.type === 'number' ? Number(v.text) : v.text;
    }
    const clause: FilterClause = { kind: id.kind, key: id.key, op, value };
    checkClause(clause);
    clauses.push(clause);
    if (pos >= tokens.length) return clauses;
    if (!(tokens[pos]!.type === 'word' && /^and$/i.test(tokens[pos]!.text)))
      throw new FilterError(`expected AND at position ${tokens[pos]!.at} (MLflow filters join clauses with AND only)`);
    pos++;
  }
}

function checkClause(c: FilterClause): void {
  const numeric = c.kind === 'metric' || (c.kind === 'attribute' && NUMERIC_ATTRIBUTES.has(c.key));
  if (numeric && (c.op === 'LIKE' || c.op === 'ILIKE')) throw new FilterError(`${c.op} compares text, not ${c.kind} "${c.key}"`);
  if (numeric && typeof c.value !== 'number' && !Array.isArray(c.value))
    throw new FilterError(`${c.kind} "${c.key}" compares with a number, got '${String(c.value)}'`);
  if (!numeric && typeof c.value === 'number') c.value = String(c.value);
  if (!numeric && ['<', '<=', '>', '>='].includes(c.op) && c.kind !== 'attribute')
    throw new FilterError(`${c.kind} values are text: use =, !=, LIKE, ILIKE or IN for "${c.key}"`);
}

/** `metrics.rmse DESC`, `attributes.start_time`, `params.model ASC`. */
export function parseOrderBy(entries: readonly string[] | undefined): OrderBy[] {
  return (entries ?? []).map((entry) => {
    const tokens = tokenize(entry);
    const id = identifier(tokens, 0);
    const dir = tokens[id.next];
    if (tokens.length > id.next + 1) throw new FilterError(`order_by "${entry}": one name and ASC or DESC`);
    if (dir && !(dir.type === 'word' && /^(asc|desc)$/i.test(dir.text))) throw new FilterError(`order_by "${entry}": expected ASC or DESC`);
    return { kind: id.kind, key: id.key, descending: dir ? /^desc$/i.test(dir.text) : false };
  });
}
