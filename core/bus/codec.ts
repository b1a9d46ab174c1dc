import { BusRequestError } from './port';

// Payloads are JSON bytes on both implementations, so serialisation bugs show up in-process too.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encode(payload: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(payload ?? null));
}

export function decode<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/** Replies travel in an envelope so a handler's error reaches the requester as an error. */
export type ReplyEnvelope = { ok: true; data: unknown } | { ok: false; error: string };

export function unwrapReply<T>(subject: string, data: Uint8Array): T {
  const envelope = decode<ReplyEnvelope>(data);
  if (!envelope.ok) throw new BusRequestError(subject, envelope.error);
  return envelope.data as T;
}

export async function runReplyHandler(handler: () => unknown): Promise<ReplyEnvelope> {
  try {
    return { ok: true, data: await handler() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** NATS subject matching: '*' one token, '>' one or more trailing tokens. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
