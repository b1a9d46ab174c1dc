'use client';

import { useParams } from 'next/navigation';
import { AppHeader } from '../../../_components/app-header';
import { useMe } from '../../../_lib/use-me';
import { usePolled } from '../../../_lib/use-workspace-data';

interface WorkerRow {
  workerId: string;
  backend: string;
  kernels: number;
  freeSlots: number;
  cpus: number;
  memoryMb: number;
  labels: string[];
  gpu: { name: string; memoryMb: number } | null;
  sandbox?: { mode: 'bubblewrap' | 'unsafe' | 'refused'; description: string };
  secondsSinceHeartbeat: number;
}

/** The execution fleet, live: workers join and leave as their heartbeats come and stop. */
export default function WorkersPage() {
  const { slug } = useParams<{ slug: string }>();
  const { me } = useMe(slug);
  const { data: workers, error } = usePolled('/api/workers', (j) => (j as { workers: WorkerRow[] }).workers, 2000);
  if (!me) return <main className="center">Loading…</main>;
  return (
    <>
      <AppHeader me={me} slug={slug} section="workers" />
      <main className="page">
        <h1>Workers</h1>
        {error && <p className="error">{error}</p>}
        {workers?.length === 0 && <p className="muted">No worker is connected: start one with `npm run worker` (it joins through NATS).</p>}
        <table data-testid="workers">
          <thead>
            <tr>
              <th>worker</th>
              <th>backend</th>
              <th>kernel sandbox</th>
              <th>GPU</th>
              <th>kernels</th>
              <th>free slots</th>
              <th>CPU / RAM</th>
              <th>labels</th>
              <th>heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {(workers ?? []).map((w) => (
              <tr key={w.workerId} data-testid="worker-row">
                <td>
                  <code>{w.workerId}</code>
                </td>
                <td>{w.backend}</td>
                <td data-testid="worker-sandbox" className={w.sandbox?.mode === 'bubblewrap' ? undefined : 'error'}>
                  {w.sandbox?.description ?? 'unknown (a worker older than the sandbox)'}
                </td>
                <td>{w.gpu ? `${w.gpu.name} (${Math.round(w.gpu.memoryMb / 1024)} GiB)` : '—'}</td>
                <td>{w.kernels}</td>
                <td>{w.freeSlots}</td>
                <td>
                  {w.cpus} CPU · {Math.round(w.memoryMb / 1024)} GiB
                </td>
                <td>{w.labels.join(', ') || '—'}</td>
                <td className="small">{w.secondsSinceHeartbeat} s ago</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </>
  );
}
