// Websocket close codes of the collaboration socket (/yjs/<notebookId>), each with what the client
// should do. 4000–4999 is the range RFC 6455 leaves to applications.
export const closeCodes = {
  /** Credentials missing or no longer valid: sign in again. */
  unauthorized: { code: 4401, reason: 'sign in again' },
  /** Access to the notebook was removed while connected. */
  forbidden: { code: 4403, reason: 'you no longer have access to this notebook' },
  notFound: { code: 4404, reason: 'notebook not found' },
  /** The client's copy comes from another document epoch (the notebook was reset): reload, do not merge. */
  staleDocument: { code: 4409, reason: 'this notebook changed on the server; reload the page' },
  /** An update or the document would exceed the size limits; the update was not applied. */
  tooLarge: { code: 4413, reason: 'change too large' },
  /** A change to something outside the notebook schema (another Yjs root type); nothing was stored. */
  schemaViolation: { code: 4422, reason: 'change outside the notebook schema' },
  /** Bytes that are not the y-websocket protocol; the document was not touched. */
  malformed: { code: 4400, reason: 'malformed message' },
  /** Storing the update failed; nothing was relayed. Reconnect to resend it. */
  storageFailed: { code: 4500, reason: 'could not store the change; reconnecting will resend it' },
  serverShutdown: { code: 1001, reason: 'server shutting down' },
} as const;

export type CloseCodeName = keyof typeof closeCodes;

/**
 * Codes after which an automatic reconnect would fail the same way. A refused (too large or
 * malformed) change stays in the client's copy and would be resent on every reconnect: a loop.
 */
export const noReconnectCodes: ReadonlySet<number> = new Set([
  closeCodes.unauthorized.code,
  closeCodes.forbidden.code,
  closeCodes.notFound.code,
  closeCodes.staleDocument.code,
  closeCodes.tooLarge.code,
  closeCodes.schemaViolation.code,
  closeCodes.malformed.code,
]);
