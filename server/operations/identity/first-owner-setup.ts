import type { Db } from '../../../drizzle/client';
import { conflict } from '../../errors';
import { workspaceCreator } from '../workspaces/workspace-creator';
import { userCount, userCreator } from './user-creator';

/** First start with no user: creates the first owner (with the approver flag) and a workspace. */
export async function firstOwnerSetup(db: Db, input: { email: string; password: string; name: string; workspaceName: string }) {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    // Serialise concurrent setups so two browsers cannot both become the first owner.
    await tx.execute(`lock table users in exclusive mode` as never);
    if ((await userCount(txDb)) > 0) throw conflict('setup is already done; sign in instead');
    const user = await userCreator(txDb, input);
    const workspace = await workspaceCreator(txDb, { userId: user.id, name: input.workspaceName, approver: true });
    return { user, workspace };
  });
}
