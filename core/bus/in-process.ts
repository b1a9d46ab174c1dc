import { decode, encode, runReplyHandler, subjectMatches, unwrapReply } from './codec';
import {
  BusNoRespondersError,
  BusTimeoutError,
  type Bus,
  type BusMessage,
  type ConsumeOptions,
  type Consumer,
  type Job,
  type SubscribeOptions,
  type Subscription,
  type WorkQueue,
} from './port';

// The embedded bus: the same semantics as NATS JetStream for one process (queue groups, request/reply,
// a durable-for-the-process work queue with ack deadlines, redelivery and a delivery limit).

interface Sub {
  pattern: string;
  queue?: string;
  handler: (msg: BusMessage) => void | Promise<void>;
}

interface StoredJob {
  id: string;
  seq: number;
  subject: string;
  data: Uint8Array;
  deliveries: number;
  /** Consumer holding it and its ack deadline; undefined while waiting. */
  lease?: { consumer: LocalConsumer; deadline: number };
  notBefore: number;
}

interface LocalConsumer {
  opts: ConsumeOptions;
  handler: (job: Job) => Promise<void>;
  active: number;
  stopped: boolean;
}

const DEDUPE_WINDOW_MS = 2 * 60_000;

function message(subject: string, data: Uint8Array): BusMessage {
  return { subject, data, json: <T>() => decode<T>(data) };
}

export function createInProcessBus(): Bus {
  const subs = new Set<Sub>();
  const roundRobin = new Map<string, number>();
  let closed = false;

  function deliver(subject: string, data: Uint8Array): number {
    const matching = [...subs].filter((s) => subjectMatches(s.pattern, subject));
    const groups = new Map<string, Sub[]>();
    const targets: Sub[] = [];
    for (const s of matching) {
      if (!s.queue) targets.push(s);
      else groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    for (const [queue, members] of groups) {
      const key = `${queue}\u0000${subject}`;
      const next = (roundRobin.get(key) ?? 0) % members.length;
      roundRobin.set(key, next + 1);
      targets.push(members[next]!);
    }
    // Asynchronous like a network hop: a publisher never runs subscriber code inline.
    for (const t of targets)
      queueMicrotask(() => {
        if (!subs.has(t)) return;
        Promise.resolve()
          .then(() => t.handler(message(subject, data)))
          .catch((e: unknown) => console.error(`bus subscriber on ${t.pattern} failed:`, e));
      });
    return targets.length;
  }

  function subscribeRaw(pattern: string, handler: Sub['handler'], opts?: SubscribeOptions): Subscription {
    if (closed) throw new Error('bus is closed');
    const sub: Sub = { pattern, handler, queue: opts?.queue };
    subs.add(sub);
    return { unsubscribe: async () => void subs.delete(sub) };
  }

  let inboxSeq = 0;
  const jobs = createLocalWorkQueue();

  return {
    kind: 'local',
    connected: () => !closed,
    reconnects: () => 0,
    async publish(subject, payload) {
      if (closed) throw new Error('bus is closed');
      deliver(subject, encode(payload));
    },
    async subscribe(subject, handler, opts) {
      return subscribeRaw(subject, handler, opts);
    },
    async reply(subject, handler, opts) {
      return subscribeRaw(
        subject,
        async (msg) => {
          const replyTo = (msg as BusMessage & { replyTo?: string }).replyTo;
          const envelope = await runReplyHandler(() => handler(msg));
          if (replyTo) deliver(replyTo, encode(envelope));
        },
        opts,
      );
    },
    async request<T>(subject: string, payload: unknown, opts: { timeoutMs: number }): Promise<T> {
      if (closed) throw new Error('bus is closed');
      const inbox = `_INBOX.local.${++inboxSeq}`;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          subs.delete(sub);
          reject(new BusTimeoutError(subject, opts.timeoutMs));
        }, opts.timeoutMs);
        const sub: Sub = {
          pattern: inbox,
          handler: (msg) => {
            clearTimeout(timer);
            subs.delete(sub);
            try {
              resolve(unwrapReply<T>(subject, msg.data));
            } catch (e) {
              reject(e);
            }
          },
        };
        subs.add(sub);
        const data = encode(payload);
        const responders = [...subs].filter((s) => s !== sub && subjectMatches(s.pattern, subject));
        if (responders.length === 0) {
          clearTimeout(timer);
          subs.delete(sub);
          reject(new BusNoRespondersError(subject));
          return;
        }
        deliverWithReply(subject, data, inbox);
      });
    },
    jobs,
    async close() {
      closed = true;
      subs.clear();
      await jobs.close();
    },
  };

  function deliverWithReply(subject: string, data: Uint8Array, replyTo: string) {
    const matching = [...subs].filter((s) => subjectMatches(s.pattern, subject) && s.pattern !== replyTo);
    const plain = matching.filter((s) => !s.queue);
    const grouped = new Map<string, Sub[]>();
    for (const s of matching.filter((m) => m.queue)) grouped.set(s.queue!, [...(grouped.get(s.queue!) ?? []), s]);
    const targets = [...plain, ...[...grouped.values()].map((members) => members[Math.floor(Math.random() * members.length)]!)];
    for (const t of targets)
      queueMicrotask(() => {
        const msg = Object.assign(message(subject, data), { replyTo });
        Promise.resolve()
          .then(() => t.handler(msg))
          .catch((e: unknown) => console.error(`bus responder on ${t.pattern} failed:`, e));
      });
  }
}

function createLocalWorkQueue(): WorkQueue & { close(): Promise<void> } {
  const stored: StoredJob[] = [];
  const consumers = new Set<LocalConsumer>();
  const seenIds = new Map<string, number>();
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function schedule(delayMs = 0) {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(pump, delayMs);
  }

  function pump() {
    timer = undefined;
    const now = Date.now();
    let nextWake = Infinity;
    for (const job of stored) {
      if (job.lease) {
        if (job.lease.deadline <= now || job.lease.consumer.stopped) {
          // The consumer died or went silent: the job goes back to the queue.
          job.lease.consumer.active = Math.max(0, job.lease.consumer.active - 1);
          job.lease = undefined;
        } else {
          nextWake = Math.min(nextWake, job.lease.deadline);
          continue;
        }
      }
      if (job.notBefore > now) {
        nextWake = Math.min(nextWake, job.notBefore);
        continue;
      }
      const consumer = pickConsumer(job);
      if (consumer) dispatch(job, consumer);
    }
    if (nextWake !== Infinity) schedule(Math.max(1, nextWake - Date.now()));
  }

  function pickConsumer(job: StoredJob): LocalConsumer | undefined {
    const candidates = [...consumers].filter(
      (c) => !c.stopped && subjectMatches(c.opts.filterSubject, job.subject) && c.active < (c.opts.concurrency ?? 1),
    );
    candidates.sort((a, b) => a.active - b.active);
    return candidates[0];
  }

  function dispatch(job: StoredJob, consumer: LocalConsumer) {
    if (job.deliveries >= consumer.opts.maxDeliver) {
      remove(job);
      void consumer.opts.onDeadLetter?.({ id: job.id, subject: job.subject, data: job.data, deliveryCount: job.deliveries });
      return;
    }
    job.deliveries++;
    consumer.active++;
    const lease = { consumer, deadline: Date.now() + consumer.opts.ackWaitMs };
    job.lease = lease;
    let settled = false;
    const settle = (fn: () => void) => async () => {
      if (settled || job.lease !== lease) return;
      settled = true;
      consumer.active = Math.max(0, consumer.active - 1);
      job.lease = undefined;
      fn();
      schedule();
    };
    const handle: Job = {
      id: job.id,
      subject: job.subject,
      data: job.data,
      json: <T>() => decode<T>(job.data),
      deliveryCount: job.deliveries,
      ack: settle(() => remove(job)),
      nak: (delayMs = 0) => settle(() => (job.notBefore = Date.now() + delayMs))(),
      term: (_reason: string) => settle(() => remove(job))(),
      async working() {
        if (!settled && job.lease === lease) lease.deadline = Date.now() + consumer.opts.ackWaitMs;
        schedule();
      },
    };
    queueMicrotask(() => {
      consumer.handler(handle).catch((e: unknown) => {
        console.error(`job handler for ${job.subject} failed:`, e);
        void handle.nak();
      });
    });
  }

  function remove(job: StoredJob) {
    const i = stored.indexOf(job);
    if (i >= 0) stored.splice(i, 1);
  }

  return {
    async enqueue(subject, payload, opts) {
      if (closed) throw new Error('bus is closed');
      const now = Date.now();
      for (const [id, at] of seenIds) if (now - at > DEDUPE_WINDOW_MS) seenIds.delete(id);
      const id = opts?.id ?? `job-${++seq}-${now}`;
      if (opts?.id && seenIds.has(id)) return;
      seenIds.set(id, now);
      stored.push({ id, seq: ++seq, subject, data: encode(payload), deliveries: 0, notBefore: 0 });
      schedule();
    },
    async consume(opts, handler): Promise<Consumer> {
      const consumer: LocalConsumer = { opts, handler, active: 0, stopped: false };
      consumers.add(consumer);
      schedule();
      return {
        async stop() {
          consumer.stopped = true;
          consumers.delete(consumer);
          schedule();
        },
      };
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      consumers.clear();
    },
  };
}
