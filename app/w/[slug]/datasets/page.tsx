'use client';

import { useParams } from 'next/navigation';
import { useFormDialog } from '../../../_components/form-dialog';
import { useState, type DragEvent } from 'react';
import { AppHeader } from '../../../_components/app-header';
import { DatasetVersionView } from '../../../_components/datasets/dataset-version-view';
import { useMe } from '../../../_lib/use-me';
import { usePolled } from '../../../_lib/use-workspace-data';

interface DatasetRow {
  id: string;
  name: string;
  versions: Array<{ id: string; version: number; rows: number; size: number; format: string; sha256: string; createdAt: string }>;
}

/** Upload with progress: XMLHttpRequest, as fetch cannot report upload progress. */
function uploadFile(
  url: string,
  file: File,
  contentType: string,
  onProgress: (share: number) => void,
): Promise<{ status: number; body: { error?: { message: string } } }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: JSON.parse(xhr.responseText || '{}') as { error?: { message: string } } });
    xhr.onerror = () => reject(new Error('upload failed: the connection broke'));
    xhr.send(file);
  });
}

export default function DatasetsPage() {
  const { slug } = useParams<{ slug: string }>();
  const { me, workspace } = useMe(slug);
  const dialog = useFormDialog();
  const { data, error, reload } = usePolled(
    workspace ? `/api/datasets?workspaceId=${workspace.id}` : null,
    (j) => (j as { datasets: DatasetRow[] }).datasets,
    10_000,
  );
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; version: number } | null>(null);
  const [hover, setHover] = useState(false);
  if (!me || !workspace) return <main className="center">Loading…</main>;

  async function upload(file: File) {
    const format = /\.(jsonl|ndjson)$/i.test(file.name) ? 'jsonl' : /\.csv$/i.test(file.name) ? 'csv' : null;
    if (!format) return setMessage('Upload a .csv file (with a header row) or a .jsonl file (one JSON object per line).');
    const values = await dialog.ask({
      title: `Upload ${file.name}`,
      fields: [
        {
          name: 'name',
          label: 'Dataset name (an existing name adds a version)',
          defaultValue: file.name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-'),
          required: true,
        },
      ],
      confirmLabel: 'Upload',
    });
    const name = values?.name?.trim();
    if (!name) return;
    setProgress(0);
    try {
      const res = await uploadFile(
        `/api/datasets/upload?workspaceId=${workspace!.id}&name=${encodeURIComponent(name)}&format=${format}`,
        file,
        // The server takes only these types (a browser may label a .csv application/vnd.ms-excel).
        format === 'csv' ? 'text/csv' : 'application/x-ndjson',
        setProgress,
      );
      if (res.status >= 400) setMessage(res.body.error?.message ?? `upload failed (${res.status})`);
      else
        setMessage(
          res.status === 201 ? `Uploaded ${name}: a new version.` : `${name}: the same content as its latest version; nothing new stored.`,
        );
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setProgress(null);
    }
  }

  function drop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setHover(false);
    const file = e.dataTransfer.files[0];
    if (file) void upload(file);
  }

  return (
    <>
      <AppHeader me={me} slug={slug} section="datasets" />
      {dialog.element}
      <main className="page">
        <h1>Datasets</h1>
        {workspace.role !== 'viewer' && (
          <div
            className="panel"
            onDragOver={(e) => (e.preventDefault(), setHover(true))}
            onDragLeave={() => setHover(false)}
            onDrop={drop}
            style={{ borderStyle: 'dashed', background: hover ? '#ddf4ff' : undefined, textAlign: 'center' }}
            data-testid="dataset-drop"
          >
            Drop a CSV or JSON-lines file here, or{' '}
            <label className="button-like">
              choose one
              <input
                type="file"
                accept=".csv,.jsonl,.ndjson"
                hidden
                onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])}
              />
            </label>
            {progress !== null && (
              <div className="progress" style={{ margin: '8px auto' }} data-testid="upload-progress">
                <div style={{ width: `${progress * 100}%`, background: '#2f6feb' }} />
              </div>
            )}
          </div>
        )}
        {(error || message) && <p className={error ? 'error' : 'notice'}>{error ?? message}</p>}
        <table data-testid="datasets-table">
          <thead>
            <tr>
              <th>dataset</th>
              <th>versions (newest first)</th>
            </tr>
          </thead>
          <tbody>
            {(data ?? []).map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.name}</code>
                </td>
                <td>
                  {d.versions.map((v) => (
                    <button
                      key={v.id}
                      className="link"
                      onClick={() => setOpen({ id: d.id, version: v.version })}
                      title={`sha256 ${v.sha256}`}
                    >
                      v{v.version} · {v.rows} rows · {(v.size / 1024).toFixed(1)} KB
                    </button>
                  ))}
                </td>
              </tr>
            ))}
            {data?.length === 0 && (
              <tr>
                <td colSpan={2} className="muted">
                  No datasets yet. In a cell, <code>await ferry.useDataset(&apos;name@1&apos;)</code> reads one and records it on the run.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {open && <DatasetVersionView datasetId={open.id} version={open.version} />}
      </main>
    </>
  );
}
