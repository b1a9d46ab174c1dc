import { createHash } from 'node:crypto';
import { cellCommentTitle } from '../../core/notebook/cell-label';
import type { KernelJobInfo } from './ipc';

// The kernel session's active run (MLflow's active run, W&B's `wandb.init`): opened by the first
// `ferry.*` logging call or by `ferry.startRun()`, it stays open across cells, whoever runs them, until
// `ferry.endRun()`, the next `startRun()`, a failed cell, a new Run all, or the kernel's end. It lives
// in the kernel process, so it belongs to the kernel session wherever the request came from.

export type RunEnd = 'finished' | 'failed' | 'killed';

export interface RunHandle {
  id: string;
  name: string;
}

/** What the active run needs from the current cell execution to record it. */
export interface ExecutionContext {
  job: KernelJobInfo;
  source: string;
  executionCount: number;
  backend: string;
}

interface OpenRun {
  handle: Promise<RunHandle>;
  /** Executions recorded on the run (run_cells), each once. */
  attached: Map<string, Promise<void>>;
}

let open: OpenRun | null = null;

/** The helper API with the execution's own job token (each cell's token is scoped to its execution). */
export async function helperCall<T>(job: KernelJobInfo, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${job.helperApi.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${job.helperApi.token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok) throw new Error(`ferry: ${path} failed (${res.status}): ${json.error?.message ?? 'no details'}`);
  return json as T;
}

/** A cell's label for a run's default name: its first comment line, else its execution count (`[3]`). */
export function cellLabelOf(source: string, executionCount: number): string {
  return cellCommentTitle(source) ?? `[${executionCount}]`;
}

function cellRecord(ctx: ExecutionContext) {
  return {
    executionId: ctx.job.executionId,
    cellId: ctx.job.cellId,
    notebookVersionId: ctx.job.notebookVersionId,
    sourceHash: createHash('sha256').update(ctx.source).digest('hex'),
    executionCount: ctx.executionCount,
  };
}

function create(ctx: ExecutionContext, opts: { name?: string }): OpenRun {
  const handle = helperCall<{ runId: string; name: string }>(ctx.job, '/api/kernel/runs', {
    v: 1,
    ...cellRecord(ctx),
    notebookId: ctx.job.notebookId,
    ...(ctx.job.kernelId ? { kernelId: ctx.job.kernelId } : {}),
    ...(opts.name ? { name: opts.name } : { cellLabel: cellLabelOf(ctx.source, ctx.executionCount) }),
    backend: ctx.backend,
    ...(ctx.job.workerId ? { workerId: ctx.job.workerId } : {}),
    ...(ctx.job.runTags ? { tags: ctx.job.runTags } : {}),
  }).then((r) => ({ id: r.runId, name: r.name }));
  const run: OpenRun = { handle, attached: new Map([[ctx.job.executionId, handle.then(() => undefined)]]) };
  // A run that could not be opened is not active: the next logging call tries again.
  handle.catch(() => {
    if (open === run) open = null;
  });
  return run;
}

/** The active run, opened for this execution if none is; the execution is recorded on it once. */
export async function ensureRun(ctx: ExecutionContext): Promise<RunHandle> {
  open ??= create(ctx, {});
  const run = open;
  const handle = await run.handle;
  let attached = run.attached.get(ctx.job.executionId);
  if (!attached) {
    attached = helperCall(ctx.job, `/api/kernel/runs/${handle.id}/cells`, cellRecord(ctx));
    run.attached.set(ctx.job.executionId, attached);
  }
  await attached;
  return handle;
}

/** Ends the active run (if any) and opens a new one for this execution. */
export async function startRun(ctx: ExecutionContext, opts: { name?: string }): Promise<RunHandle> {
  await endRun(ctx.job, 'finished');
  open = create(ctx, opts);
  return open.handle;
}

/** Ends the active run with `status`; nothing to do when none is open. */
export async function endRun(job: KernelJobInfo, status: RunEnd): Promise<RunHandle | null> {
  const run = open;
  open = null;
  if (!run) return null;
  const handle = await run.handle.catch(() => null);
  if (!handle) return null;
  await helperCall(job, `/api/kernel/runs/${handle.id}/finish`, { status });
  return handle;
}

/** The active run's id and name, or null; never opens one. */
export async function activeRun(): Promise<RunHandle | null> {
  return open ? open.handle.catch(() => null) : null;
}

/** Whether this execution logged into the active run. */
export function loggedInto(executionId: string): boolean {
  return open?.attached.has(executionId) ?? false;
}
