// Which workers can take a job that needs a GPU or a label, and, when none can, a sentence that says
// why, naming what the fleet has. Pure, so the server's check and any UI say the same thing.

export interface WorkerCapabilities {
  workerId: string;
  backend: string;
  labels: string[];
  gpu: { name: string; memoryMb: number } | null;
}

export interface Needs {
  gpu: boolean;
  label?: string;
}

export function canRun(worker: WorkerCapabilities, needs: Needs): boolean {
  if (needs.gpu && !worker.gpu) return false;
  if (needs.label && !worker.labels.includes(needs.label)) return false;
  return true;
}

export function whyNoWorker(workers: WorkerCapabilities[], needs: Needs): string | null {
  if (workers.some((w) => canRun(w, needs))) return null;
  if (workers.length === 0) return 'no worker is connected: start one with `npm run worker`';
  const wanted = [needs.gpu ? 'a GPU' : null, needs.label ? `the label "${needs.label}"` : null].filter(Boolean).join(' and ');
  const fleet = workers
    .map(
      (w) =>
        `${w.workerId} (${w.backend}${w.gpu ? `, ${w.gpu.name}` : ', no GPU'}${w.labels.length ? `, labels: ${w.labels.join(', ')}` : ''})`,
    )
    .join('; ');
  return `no connected worker has ${wanted}; the fleet: ${fleet}`;
}
