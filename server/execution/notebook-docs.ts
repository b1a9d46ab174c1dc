import type * as Y from 'yjs';

/** What the server needs of the collaboration layer to read and edit a notebook as a participant. */
export interface NotebookDocs {
  /** Applies a server-side edit (persisted, then relayed to every client in the room). */
  applyServerChange(notebookId: string, change: (doc: Y.Doc) => void): Promise<void>;
  /** A current copy of the notebook document. */
  readNotebook(notebookId: string): Promise<Y.Doc>;
  /** Re-checks a user's open collaboration sockets after a membership change. */
  accessChanged(userId: string): Promise<void>;
}
