'use client';

import dynamic from 'next/dynamic';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { AppHeader } from '../../../../_components/app-header';
import { useFormDialog } from '../../../../_components/form-dialog';
import { NotebookHistory } from '../../../../_components/notebook-history';
import { TrainingsPanel } from '../../../../_components/trainings-panel';
import { api } from '../../../../_lib/api';
import { useMe } from '../../../../_lib/use-me';

const NotebookView = dynamic(() => import('../../../../_components/notebook-view').then((m) => m.NotebookView), { ssr: false });

export default function NotebookPage() {
  const { slug, id } = useParams<{ slug: string; id: string }>();
  const { me } = useMe(slug);
  const [notebook, setNotebook] = useState<{ name: string; role: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [renameError, setRenameError] = useState<string | null>(null);
  const dialog = useFormDialog();
  useEffect(() => {
    api<{ name: string; role: string }>('GET', `/api/notebooks/${id}`).then(setNotebook, (e: Error) => setError(e.message));
  }, [id]);
  if (error) return <main className="center error">{error}</main>;
  if (!me || !notebook) return <main className="center">Loading…</main>;
  const canEdit = notebook.role !== 'viewer';
  async function rename() {
    const values = await dialog.ask({
      title: 'Rename notebook',
      fields: [{ name: 'name', label: 'Name', defaultValue: notebook!.name, required: true }],
      confirmLabel: 'Rename',
    });
    const name = values?.name?.trim();
    if (!name || name === notebook!.name) return;
    try {
      await api('PATCH', `/api/notebooks/${id}`, { name });
      setNotebook({ ...notebook!, name });
      setRenameError(null);
    } catch (e) {
      setRenameError((e as Error).message);
    }
  }
  return (
    <>
      <AppHeader me={me} slug={slug} section="notebooks" />
      <main className="page">
        {dialog.element}
        <div className="row">
          <h1 data-testid="notebook-title">{notebook.name}</h1>
          {canEdit && (
            <button className="secondary small" onClick={() => void rename()} data-testid="rename-notebook">
              Rename
            </button>
          )}
        </div>
        {renameError && <p className="error">{renameError}</p>}
        <NotebookView notebookId={id} readOnly={notebook.role === 'viewer'} user={me.user} />
        <TrainingsPanel notebookId={id} readOnly={notebook.role === 'viewer'} slug={slug} />
        <NotebookHistory notebookId={id} slug={slug} readOnly={notebook.role === 'viewer'} />
      </main>
    </>
  );
}
