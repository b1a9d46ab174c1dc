'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { AppHeader } from '../../../../../../_components/app-header';
import { api } from '../../../../../../_lib/api';
import { renderMarkdown } from '../../../../../../_lib/markdown';
import { useMe } from '../../../../../../_lib/use-me';

interface NotebookVersion {
  id: string;
  notebookId: string;
  notebookName: string;
  kind: string;
  name: string | null;
  message: string | null;
  contentHash: string;
  createdAt: string;
  authorName: string | null;
  content: { cells: Array<{ id?: string; cell_type: string; source: string | string[] }> };
}

/** A notebook version, read-only: what a run or a model version was made from, exactly. */
export default function NotebookVersionPage() {
  const { slug, id, versionId } = useParams<{ slug: string; id: string; versionId: string }>();
  const { me } = useMe(slug);
  const [version, setVersion] = useState<NotebookVersion | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<NotebookVersion>('GET', `/api/notebook-versions/${versionId}`).then(setVersion, (e: Error) => setError(e.message));
  }, [versionId]);
  if (!me) return <main className="center">Loading…</main>;
  return (
    <>
      <AppHeader me={me} slug={slug} section="notebooks" />
      <main className="page" data-testid="notebook-version">
        <p className="small">
          <Link href={`/w/${slug}/notebooks/${id}`}>← the live notebook</Link>
        </p>
        {error && <p className="error">{error}</p>}
        {version && (
          <>
            <h1>
              {version.notebookName} <span className="badge">read-only</span>
            </h1>
            <p className="muted small">
              {version.name ?? version.kind} · {new Date(version.createdAt).toLocaleString()}
              {version.authorName && <> · by {version.authorName}</>} · content {version.contentHash.slice(0, 16)}
              {version.message && <> · {version.message}</>}
            </p>
            {version.content.cells.map((cell, i) => {
              const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
              return (
                <section key={cell.id ?? i} className="panel cell-readonly">
                  {cell.cell_type === 'markdown' ? (
                    <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />
                  ) : (
                    <pre>
                      <code>{source}</code>
                    </pre>
                  )}
                </section>
              );
            })}
          </>
        )}
      </main>
    </>
  );
}
