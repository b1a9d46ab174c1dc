'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import type { CellOutput } from '../../core/contracts/messages/outputs';
import { mimeKind, mimeText, pickMime, sortRows, stripAnsi, tableOf, type TableData } from '../../core/notebook/mime';
import { renderMarkdown } from '../_lib/markdown';

// Cell outputs as nbformat MIME bundles: each display_data / execute_result shows its richest type.
// Nothing from an output runs in the app's origin: HTML goes to a sandboxed iframe without
// allow-same-origin, SVG is an <img>, markdown is escaped before its few tags are made.

export function CellOutputs({ outputs, collapsed, scrolled }: { outputs: CellOutput[]; collapsed?: boolean; scrolled?: boolean }) {
  if (outputs.length === 0) return null;
  if (collapsed)
    return (
      <div className="cell-output collapsed muted" data-testid="cell-output-collapsed">
        … {outputs.length} output{outputs.length === 1 ? '' : 's'} hidden
      </div>
    );
  return (
    <div className={`cell-output${scrolled ? ' scrolled' : ''}`} data-testid="cell-output">
      {outputs.map((o, i) => (
        <OutputView key={i} output={o} />
      ))}
    </div>
  );
}

function OutputView({ output }: { output: CellOutput }) {
  switch (output.output_type) {
    case 'stream':
      return <span className={output.name === 'stderr' ? 'stderr' : ''}>{stripAnsi(output.text)}</span>;
    case 'error':
      return (
        <div className="err" data-testid="output-error">
          <strong>
            {output.ename}: {output.evalue}
          </strong>
          {output.traceback.length > 0 && <pre className="traceback">{stripAnsi(output.traceback.join('\n'))}</pre>}
        </div>
      );
    case 'execute_result':
    case 'display_data':
      return <MimeView data={output.data} />;
  }
}

export function MimeView({ data }: { data: Record<string, unknown> }) {
  const mime = pickMime(data);
  if (!mime) return null;
  const value = data[mime];
  const kind = mimeKind(mime);
  switch (kind) {
    case 'vegalite':
    case 'vega':
      return <VegaView spec={value as Record<string, unknown>} fallback={mimeText(data['text/plain'] ?? '')} />;
    case 'table': {
      const table = tableOf(value);
      return table ? <TableView table={table} /> : <JsonTree value={value} />;
    }
    case 'html':
      return <HtmlFrame html={mimeText(value)} />;
    case 'svg':
      return (
        <img
          className="output-image"
          data-testid="output-svg"
          alt="SVG output"
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(mimeText(value))}`}
        />
      );
    case 'image':
      return (
        <img
          className="output-image"
          data-testid="output-image"
          alt="output"
          src={`data:${mime};base64,${mimeText(value).replace(/\s+/g, '')}`}
        />
      );
    case 'markdown':
      return (
        <div
          className="markdown output-markdown"
          data-testid="output-markdown"
          dangerouslySetInnerHTML={{ __html: renderMarkdown(mimeText(value)) }}
        />
      );
    case 'json': {
      const table = tableOf(value);
      return table ? <TableView table={table} /> : <JsonTree value={value} />;
    }
    default:
      return <div data-testid="output-text">{stripAnsi(mimeText(value))}</div>;
  }
}

// ---- HTML: sandboxed iframe, sized to its content by a message from inside ----

/** The page's CSP nonce (an iframe's srcdoc inherits the page's policy, so its one script needs it). */
function pageNonce(): string {
  const el = document.querySelector<HTMLScriptElement>('script[nonce]');
  return el?.nonce || el?.getAttribute('nonce') || '';
}

const FRAME_MAX_HEIGHT = 1200;

export function frameDocument(html: string, token: string, nonce: string): string {
  // The sizing script reports the body's height; the parent checks the message comes from this frame.
  const sizer = `(function(){var t=${JSON.stringify(token)};function post(){parent.postMessage({ferryFrame:t,height:Math.ceil(document.documentElement.scrollHeight)},'*')}if(window.ResizeObserver)new ResizeObserver(post).observe(document.documentElement);addEventListener('load',post);post();})();`;
  return `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>html,body{margin:0;padding:0;font:13px system-ui,sans-serif;overflow:hidden}body{padding:2px}</style></head><body>${html}<script${nonce ? ` nonce="${nonce}"` : ''}>${sizer}</script></body></html>`;
}

function HtmlFrame({ html }: { html: string }) {
  const ref = useRef<HTMLIFrameElement | null>(null);
  const [height, setHeight] = useState(24);
  const token = useMemo(() => Math.random().toString(36).slice(2), []);
  const srcDoc = useMemo(() => frameDocument(html, token, pageNonce()), [html, token]);
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.source !== ref.current?.contentWindow) return;
      const msg = e.data as { ferryFrame?: string; height?: number };
      if (msg?.ferryFrame === token && typeof msg.height === 'number' && Number.isFinite(msg.height))
        setHeight(Math.max(16, Math.min(FRAME_MAX_HEIGHT, msg.height)));
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [token]);
  return (
    <iframe
      ref={ref}
      className="output-html"
      data-testid="output-html"
      title="HTML output"
      sandbox="allow-scripts"
      srcDoc={srcDoc}
      style={{ height, overflow: height >= FRAME_MAX_HEIGHT ? 'auto' : 'hidden' }}
    />
  );
}

// ---- Vega / Vega-Lite: vega-embed loaded on demand, expressions interpreted (no eval under the CSP) ----

function VegaView({ spec, fallback }: { spec: Record<string, unknown>; fallback: string }) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    let finalize: (() => void) | undefined;
    void (async () => {
      try {
        const [{ default: embed }, { expressionInterpreter }] = await Promise.all([import('vega-embed'), import('vega-interpreter')]);
        if (cancelled || !ref.current) return;
        const result = await embed(ref.current, structuredClone(spec) as never, {
          ast: true,
          expr: expressionInterpreter,
          actions: false,
          renderer: 'svg',
          // Data only from the spec itself or this server.
          loader: { mode: 'http', baseURL: window.location.origin },
        });
        if (cancelled) result.finalize();
        else finalize = () => result.finalize();
      } catch (e) {
        if (!cancelled) setError((e as Error).message);
      }
    })();
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec]);
  return (
    <div data-testid="output-vega">
      <div ref={ref} className="vega-output" />
      {error && (
        <div className="err">
          Chart could not be drawn: {error}
          {fallback ? `\n${fallback}` : ''}
        </div>
      )}
    </div>
  );
}

// ---- Tables: sortable columns, pages, column types ----

const PAGE_SIZE = 20;

export function TableView({ table }: { table: TableData }) {
  const [sort, setSort] = useState<{ column: string; descending: boolean } | null>(null);
  const [page, setPage] = useState(0);
  const rows = useMemo(() => (sort ? sortRows(table.rows, sort.column, sort.descending) : table.rows), [table.rows, sort]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const format = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <div className="output-table" data-testid="output-table">
      <table className="small">
        <thead>
          <tr>
            {table.fields.map((f) => (
              <th key={f.name} data-testid="table-header">
                <button
                  className="link"
                  onClick={() => {
                    setSort(
                      sort?.column === f.name ? { column: f.name, descending: !sort.descending } : { column: f.name, descending: false },
                    );
                    setPage(0);
                  }}
                  title={`Sort by ${f.name}`}
                >
                  {f.name}
                  {sort?.column === f.name ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
                <div className="muted column-type">{f.type}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((row, i) => (
            <tr key={i} data-testid="table-row">
              {table.fields.map((f) => (
                <td key={f.name} className={f.type === 'number' || f.type === 'integer' ? 'num' : ''}>
                  {format(row[f.name])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row small muted">
        <span data-testid="table-summary">
          {rows.length} row{rows.length === 1 ? '' : 's'} × {table.fields.length} column{table.fields.length === 1 ? '' : 's'}
          {table.truncatedFrom ? ` (first ${rows.length} of ${table.truncatedFrom})` : ''}
        </span>
        {pages > 1 && (
          <>
            <button className="link" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="table-prev">
              ‹ prev
            </button>
            <span>
              page {page + 1} / {pages}
            </span>
            <button className="link" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} data-testid="table-next">
              next ›
            </button>
          </>
        )}
      </div>
    </div>
  );
}

// ---- JSON: a collapsible tree ----

export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object')
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
  const summary = Array.isArray(value) ? `Array(${entries.length})` : `{${entries.length} key${entries.length === 1 ? '' : 's'}}`;
  return (
    <details className="json-tree" open={depth < 2} data-testid={depth === 0 ? 'output-json' : undefined}>
      <summary>
        {label}
        <span className="muted">{summary}</span>
      </summary>
      <div className="json-children">
        {entries.slice(0, 500).map(([k, v]) => (
          <JsonTree key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > 500 && <div className="muted">… {entries.length - 500} more</div>}
      </div>
    </details>
  );
}
