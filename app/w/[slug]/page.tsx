'use client';

import Link from 'next/link';
import { useParams, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import type { NotebookDto } from '../../../core/contracts/api/notebooks';
import { AppHeader } from '../../_components/app-header';
import { useFormDialog } from '../../_components/form-dialog';
import { MembersPanel } from '../../_components/members-panel';
import { TokensPanel } from '../../_components/tokens-panel';
import { api } from '../../_lib/api';
import { useMe } from '../../_lib/use-me';

export default function WorkspaceHome() {
  const { slug } = useParams<{ slug: string }>();
  const router = useRouter();
  const { me, workspace, error: meError, reload } = useMe(slug);
  const [notebooks, setNotebooks] = useState<NotebookDto[]>([]);
  const [query, setQuery] = useState('');
  const [showTrash, setShowTrash] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialog = useFormDialog();

  const load = useCallback(async () => {
    if (!workspace) return;
    const params = new URLSearchParams({ workspaceId: workspace.id, trashed: String(showTrash) });
    if (query) params.set('q', query);
    try {
      setNotebooks((await api<{ notebooks: NotebookDto[] }>('GET', `/api/notebooks?${params}`)).notebooks);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [workspace, query, showTrash]);
  useEffect(() => void load(), [load]);

  const act = (fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '');
    setError(null);
    try {
      const created = await api<{ id: string }>('POST', '/api/notebooks', { name, workspaceId: workspace!.id });
      form.reset();
      // A new notebook is made to be written in: open it.
      router.push(`/w/${slug}/notebooks/${created.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function importIpynb(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    event.currentTarget.value = '';
    if (!file) return;
    await act(async () => {
      await api('POST', '/api/notebooks/import', {
        name: file.name.replace(/\.ipynb$/i, ''),
        workspaceId: workspace!.id,
        ipynb: await file.text(),
      });
    })();
  }

  async function createWorkspace() {
    const values = await dialog.ask({
      title: 'New workspace',
      fields: [{ name: 'name', label: 'Name', required: true, placeholder: 'Vision team' }],
      confirmLabel: 'Create workspace',
    });
    const name = values?.name?.trim();
    if (!name) return;
    try {
      const ws = await api<{ slug: string }>('POST', '/api/workspaces', { name });
      await reload();
      router.push(`/w/${ws.slug}`);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (meError) return <main className="center error">{meError}</main>;
  if (!me) return <main className="center">Loading…</main>;
  if (!workspace)
    return (
      <main className="center">
        No workspace “{slug}” for you. <Link href="/">Back</Link>
      </main>
    );
  const canEdit = workspace.role !== 'viewer';
  return (
    <>
      <AppHeader me={me} slug={slug} section="notebooks" />
      {dialog.element}
      <main className="page">
        <div className="row">
          <h1>{workspace.name}</h1>
          <span className="badge">
            {workspace.role}
            {workspace.approver ? ' · approver' : ''}
          </span>
          <span className="spacer" />
          <button className="secondary" onClick={createWorkspace} data-testid="create-workspace">
            New workspace
          </button>
        </div>
        {error && <p className="error">{error}</p>}
        <section className="panel">
          <div className="row">
            <input placeholder="Search notebooks" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="search notebooks" />
            <label className="inline">
              <input type="checkbox" checked={showTrash} onChange={(e) => setShowTrash(e.target.checked)} /> Trash
            </label>
          </div>
          {canEdit && !showTrash && (
            <form className="row" onSubmit={create}>
              <input name="name" placeholder="New notebook name" required data-testid="new-notebook-name" />
              <button type="submit" data-testid="create-notebook">
                Create notebook
              </button>
              <label className="inline button-like">
                Import .ipynb
                <input
                  type="file"
                  accept=".ipynb,application/x-ipynb+json"
                  hidden
                  onChange={(e) => void importIpynb(e)}
                  data-testid="import-ipynb"
                />
              </label>
            </form>
          )}
          <ul className="list" data-testid="notebook-list">
            {notebooks.length === 0 && <li className="muted">{showTrash ? 'Trash is empty.' : 'No notebooks yet.'}</li>}
            {notebooks.map((nb) => (
              <li key={nb.id} data-testid="notebook-item">
                <Link href={`/w/${slug}/notebooks/${nb.id}`}>{nb.name}</Link>
                <span className="muted small" data-testid="notebook-updated">
                  edited {new Date(nb.updatedAt).toLocaleString()}
                  {nb.updatedBy ? ` by ${nb.updatedBy}` : ''}
                </span>
                <span className="spacer" />
                {canEdit && !nb.trashed && (
                  <>
                    <button
                      className="link"
                      onClick={act(async () => {
                        const values = await dialog.ask({
                          title: `Rename “${nb.name}”`,
                          fields: [{ name: 'name', label: 'Name', defaultValue: nb.name, required: true }],
                          confirmLabel: 'Rename',
                        });
                        const name = values?.name?.trim();
                        if (name) await api('PATCH', `/api/notebooks/${nb.id}`, { name });
                      })}
                    >
                      Rename
                    </button>
                    <button
                      className="link"
                      onClick={act(() => api('POST', `/api/notebooks/${nb.id}/duplicate`, {}))}
                      data-testid="duplicate-notebook"
                    >
                      Duplicate
                    </button>
                    <button className="link" onClick={act(() => api('PATCH', `/api/notebooks/${nb.id}`, { trashed: true }))}>
                      Move to trash
                    </button>
                  </>
                )}
                {canEdit && nb.trashed && (
                  <button className="link" onClick={act(() => api('PATCH', `/api/notebooks/${nb.id}`, { trashed: false }))}>
                    Restore
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
        <MembersPanel workspaceId={workspace.id} isOwner={workspace.role === 'owner'} />
        <TokensPanel />
      </main>
    </>
  );
}
