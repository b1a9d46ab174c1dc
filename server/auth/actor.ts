// Who is calling. Every operation receives one and asks server/policies whether it may proceed.

/**
 * What a job token was handed out for: one notebook's kernel, and the executions (cells, a
 * retraining) or the training it serves. It reaches nothing outside this (server/policies/job-scope.ts).
 */
export interface JobScope {
  notebookId: string;
  kernelId: string | null;
  executionIds: readonly string[];
  trainingId: string | null;
  driftAlertId: string | null;
}

export type Actor =
  | { kind: 'user'; userId: string; via: 'session' | 'api-token' | 'admin-key' }
  /** A kernel's credential: acts for `userId` (who started the work), only on the kernel helper API. */
  | ({ kind: 'job'; userId: string; tokenId: string } & JobScope)
  | { kind: 'device'; deviceId: string; workspaceId: string; group: string }
  | { kind: 'anonymous' };

export const anonymous: Actor = { kind: 'anonymous' };
