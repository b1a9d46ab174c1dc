import type { Actor } from '../auth/actor';
import type { AppContext } from '../context';
import { authorizeNotebook } from '../policies/authorize';
import type { KernelAction } from './kernel-sessions';

export async function kernelController(ctx: AppContext, actor: Actor, input: { notebookId: string; action: KernelAction }) {
  await authorizeNotebook(ctx.db, actor, input.notebookId, 'notebook.execute');
  await ctx.kernels.control(input.notebookId, input.action);
  return { ok: true, action: input.action };
}
