import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { notebookKernelTokenRevoker } from '../operations/identity/job-tokens';
import { kernelRunEnder } from '../operations/tracking/kernel-run-ender';
import { authorizeNotebook } from '../policies/authorize';
import type { KernelAction } from './kernel-sessions';

/**
 * Interrupts, restarts or shuts down a notebook's kernel; a restart or shutdown ends the job tokens
 * handed to it and the kernel session's active run (as `finished`: the user chose to end the session).
 */
export async function kernelController(ctx: AppContext, actor: Actor, input: { notebookId: string; action: KernelAction }) {
  await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.execute');
  // Revoked first: code still running in the old kernel must not keep a credential past its end.
  if (input.action !== 'interrupt') await notebookKernelTokenRevoker(ctx.db, input.notebookId);
  const session = ctx.kernels.get(input.notebookId);
  await ctx.kernels.control(input.notebookId, input.action);
  if (input.action !== 'interrupt' && session) await kernelRunEnder(ctx.db, { kernelId: session.kernelId }, 'finished');
  return { ok: true, action: input.action };
}
