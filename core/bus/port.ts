// The one interface every process uses to talk across the fleet. Two implementations stand behind it
// (in-process for the embedded single-process default, NATS JetStream for a real fleet); both pass the
// same contract suite in test/bus-contract.test.ts, so code written against this port cannot tell them apart.

export type BusKind = 'local' | 'nats';

export interface BusMessage {
  subject: string;
  data: Uint8Array;
  /** JSON-decoded payload; throws if the payload is not JSON. */
  json<T = unknown>(): T;
}

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface SubscribeOptions {
  /** Members of one queue group share the messages: each is delivered to one member only. */
  queue?: string;
}

export interface RequestOptions {
  timeoutMs: number;
}

/** A reply handler returns the reply payload (JSON-serialisable) or throws to send an error reply. */
export type ReplyHandler = (msg: BusMessage) => Promise<unknown> | unknown;

export interface Job {
  readonly id: string;
  readonly subject: string;
  readonly data: Uint8Array;
  json<T = unknown>(): T;
  /** 1 on first delivery, incremented on every redelivery. */
  readonly deliveryCount: number;
  ack(): Promise<void>;
  /** Hand the job back for redelivery after delayMs (counts towards maxDeliver). */
  nak(delayMs?: number): Promise<void>;
  /** Give up on the job for good: it is never redelivered. */
  term(reason: string): Promise<void>;
  /** Tell the queue the job is still being worked on so ackWait does not expire. */
  working(): Promise<void>;
}

export interface ConsumeOptions {
  /** Durable consumer name: consumers sharing a name share the work. */
  durable: string;
  /** Subject filter inside the work stream, e.g. "ferry.jobs.training". */
  filterSubject: string;
  /** A job not acked within this time is redelivered (the consumer is presumed dead). */
  ackWaitMs: number;
  /** After this many deliveries the job is dropped and onDeadLetter is called. */
  maxDeliver: number;
  /** How many jobs this consumer handles at once. */
  concurrency?: number;
  /** The consumer belongs to this process only (e.g. one worker's queue): removed when it stops. */
  transient?: boolean;
  onDeadLetter?: (job: { id: string; subject: string; data: Uint8Array; deliveryCount: number }) => void | Promise<void>;
}

export interface Consumer {
  stop(): Promise<void>;
}

export interface WorkQueue {
  /** Durably enqueue; resolves once stored. A repeated id within the dedupe window is stored once. */
  enqueue(subject: string, payload: unknown, opts?: { id?: string }): Promise<void>;
  consume(opts: ConsumeOptions, handler: (job: Job) => Promise<void>): Promise<Consumer>;
}

export interface Bus {
  readonly kind: BusKind;
  /** Whether messages flow now: false while a NATS connection is down and reconnecting. */
  connected(): boolean;
  /** Counts the connection's returns after an outage: a change tells a caller messages may have been lost. */
  reconnects(): number;
  publish(subject: string, payload: unknown): Promise<void>;
  subscribe(subject: string, handler: (msg: BusMessage) => void | Promise<void>, opts?: SubscribeOptions): Promise<Subscription>;
  /** Reply to requests on subject; a thrown Error becomes a BusRequestError at the requester. */
  reply(subject: string, handler: ReplyHandler, opts?: SubscribeOptions): Promise<Subscription>;
  request<T = unknown>(subject: string, payload: unknown, opts: RequestOptions): Promise<T>;
  readonly jobs: WorkQueue;
  close(): Promise<void>;
}

export class BusTimeoutError extends Error {
  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
  ) {
    super(`no reply on "${subject}" within ${timeoutMs} ms`);
    this.name = 'BusTimeoutError';
  }
}

export class BusNoRespondersError extends Error {
  constructor(readonly subject: string) {
    super(`nobody is listening on "${subject}"`);
    this.name = 'BusNoRespondersError';
  }
}

export class BusRequestError extends Error {
  constructor(
    readonly subject: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusRequestError';
  }
}

/** The bus connection is down (reconnecting): requests and enqueues fail at once rather than time out. */
export class BusUnavailableError extends Error {
  readonly code = 'BUS_UNAVAILABLE';
  constructor(readonly subject: string) {
    super(`the message bus is unreachable (while sending to "${subject}")`);
    this.name = 'BusUnavailableError';
  }
}
