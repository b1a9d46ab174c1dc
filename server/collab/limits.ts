import { serverSettings } from '../env';
// Per-update and per-document limits: large enough for real notebooks with outputs (Deepnote allows
// 30 MB per notebook), small enough that one client cannot exhaust the server.
export const collabLimits = {
  maxUpdateBytes: serverSettings().FERRY_MAX_UPDATE_BYTES,
  maxDocumentBytes: serverSettings().FERRY_MAX_DOCUMENT_BYTES,
  /** Frames above this are refused by the websocket layer before they are even buffered. */
  maxFrameBytes: 16 * 1024 * 1024,
  compactEveryUpdates: 100,
  idleUnloadMs: serverSettings().FERRY_ROOM_IDLE_MS,
};
