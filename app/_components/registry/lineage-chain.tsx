'use client';

import Link from 'next/link';
import type { VersionFacts } from './version-types';

/** Version → run → notebook version → data: each link back to where it came from. */
export function LineageChain({ version, slug }: { version: VersionFacts; slug: string }) {
  const { run, notebookVersion, datasets } = version.lineage;
  return (
    <ol className="lineage" data-testid="lineage">
      <li>
        <strong>
          {version.model.name} v{version.version}
        </strong>{' '}
        <code className="small">{version.onnxSha256.slice(0, 12)}…</code>
      </li>
      <li>
        {run ? (
          <>
            run{' '}
            <Link href={`/w/${slug}/runs/${run.id}`} data-testid="lineage-run">
              <strong>{run.name}</strong>
            </Link>{' '}
            ({run.status}){run.backend && <> on {run.backend}</>}
            {run.workerId && <span className="muted small"> · worker {run.workerId}</span>}
            {run.sourceHash && <span className="muted small"> · cell source {run.sourceHash.slice(0, 12)}…</span>}
          </>
        ) : (
          <span className="muted">uploaded ONNX file: no run</span>
        )}
      </li>
      {run && (
        <li>
          {notebookVersion ? (
            <Link
              href={`/w/${slug}/notebooks/${notebookVersion.notebookId}/versions/${notebookVersion.id}`}
              data-testid="lineage-notebook-version"
            >
              {notebookVersion.notebookName} @ {notebookVersion.name ?? notebookVersion.kind} {notebookVersion.contentHash.slice(0, 10)}
            </Link>
          ) : (
            <span className="muted">no notebook version recorded</span>
          )}
        </li>
      )}
      {run && (
        <li data-testid="lineage-data">
          {datasets.length === 0 ? (
            <span className="muted">no dataset reference (the run did not call ferry.useDataset)</span>
          ) : (
            datasets.map((d) => (
              <Link key={d.ref} href={`/w/${slug}/datasets`} className="badge">
                {d.ref} <span className="muted small">{d.sha256.slice(0, 10)}</span>
              </Link>
            ))
          )}
        </li>
      )}
    </ol>
  );
}
