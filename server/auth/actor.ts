// Who is calling. Every operation receives one and asks server/policies whether it may proceed.
export type Actor =
  | { kind: 'user'; userId: string; via: 'session' | 'api-token' | 'admin-key' }
  | { kind: 'job'; userId: string; notebookId: string; tokenId: string }
  | { kind: 'device'; deviceId: string; workspaceId: string; group: string }
  | { kind: 'anonymous' };

export const anonymous: Actor = { kind: 'anonymous' };
