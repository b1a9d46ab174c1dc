import {
  AckPolicy,
  connect,
  DeliverPolicy,
  ErrorCode,
  nanos,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
  type NatsError,
} from 'nats';
import { streams } from '../contracts/subjects';
import { decode, encode, runReplyHandler, unwrapReply } from './codec';
import {
  BusNoRespondersError,
  BusTimeoutError,
  BusUnavailableError,
  type Bus,
  type BusMessage,
  type ConsumeOptions,
  type Consumer,
  type Job,
} from './port';

// The fleet bus: core NATS for events and request/reply, JetStream (a work-queue stream) for jobs that
// must survive a dead worker.

const DUPLICATE_WINDOW_MS = 2 * 60_000;
const FETCH_EXPIRES_MS = 1000;
const JS_API_TIMEOUT_MS = 20_000;

export async function connectNatsBus(url: string, opts: { name?: string } = {}): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: url, name: opts.name ?? 'ferry', maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
  } catch (error) {
    throw new Error(`cannot connect to NATS at ${url}: ${(error as Error).message}`);
  }
  // JetStream's API calls default to a 5 s timeout, which a loaded machine can outlast at start.
  const jsm = await nc.jetstreamManager({ timeout: JS_API_TIMEOUT_MS }).catch((error: unknown) => {
    void nc.close();
    throw new Error(`NATS at ${url} has no JetStream (start nats-server with -js): ${(error as Error).message}`);
  });
  await ensureJobStream(jsm);
  const js = nc.jetstream({ timeout: JS_API_TIMEOUT_MS });
  const consumers = new Set<NatsConsumer>();

  // The client reconnects by itself (and buffers publishes meanwhile); health and the worker
  // registry need to know while it is away.
  let up = true;
  let reconnects = 0;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') up = false;
      else if (status.type === 'reconnect') {
        up = true;
        reconnects++;
      }
    }
  })().catch(() => undefined);

  const toMessage = (subject: string, data: Uint8Array): BusMessage => ({ subject, data, json: <T>() => decode<T>(data) });

  return {
    kind: 'nats',
    connected: () => up && !nc.isClosed(),
    reconnects: () => reconnects,
    async publish(subject, payload) {
      nc.publish(subject, encode(payload));
    },
    async subscribe(subject, handler, subOpts) {
      const sub = nc.subscribe(subject, {
        queue: subOpts?.queue,
        callback: (err, msg) => {
          if (err) return;
          Promise.resolve()
            .then(() => handler(toMessage(msg.subject, msg.data)))
            .catch((e: unknown) => console.error(`bus subscriber on ${subject} failed:`, e));
        },
      });
      return { unsubscribe: async () => sub.unsubscribe() };
    },
    async reply(subject, handler, subOpts) {
      const sub = nc.subscribe(subject, {
        queue: subOpts?.queue,
        callback: (err, msg) => {
          if (err) return;
          void runReplyHandler(() => handler(toMessage(msg.subject, msg.data))).then((envelope) => {
            if (msg.reply) msg.respond(encode(envelope));
          });
        },
      });
      return { unsubscribe: async () => sub.unsubscribe() };
    },
    async request<T>(subject: string, payload: unknown, reqOpts: { timeoutMs: number }): Promise<T> {
      // Publishes are buffered across a reconnect; a request or an enqueue waits for an answer that
      // cannot come, so the caller hears at once that the bus is away.
      if (!up) throw new BusUnavailableError(subject);
      try {
        const reply = await nc.request(subject, encode(payload), { timeout: reqOpts.timeoutMs });
        return unwrapReply<T>(subject, reply.data);
      } catch (error) {
        const code = (error as NatsError).code;
        if (code === ErrorCode.NoResponders) throw new BusNoRespondersError(subject);
        if (code === ErrorCode.Timeout) throw new BusTimeoutError(subject, reqOpts.timeoutMs);
        throw error;
      }
    },
    jobs: {
      async enqueue(subject, payload, enqOpts) {
        if (!up) throw new BusUnavailableError(subject);
        await js.publish(subject, encode(payload), enqOpts?.id ? { msgID: enqOpts.id } : undefined);
      },
      async consume(consumeOpts, handler) {
        await ensureConsumer(jsm, consumeOpts);
        const consumer = new NatsConsumer(js, consumeOpts, handler);
        consumers.add(consumer);
        consumer.start();
        return {
          async stop() {
            consumers.delete(consumer);
            await consumer.stop();
            // A per-process consumer would otherwise stay in JetStream forever after its process is gone.
            if (consumeOpts.transient) await jsm.consumers.delete(streams.jobs.name, consumeOpts.durable).catch(() => undefined);
          },
        } satisfies Consumer;
      },
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.stop()));
      await nc.drain().catch(() => nc.close());
    },
  };
}

async function ensureJobStream(jsm: JetStreamManager): Promise<void> {
  const wanted = {
    name: streams.jobs.name,
    subjects: [...streams.jobs.subjects],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    const info = await jsm.streams.info(streams.jobs.name);
    const same = JSON.stringify(info.config.subjects) === JSON.stringify(wanted.subjects);
    if (!same) await jsm.streams.update(streams.jobs.name, { ...info.config, subjects: wanted.subjects });
  } catch (error) {
    if ((error as NatsError).code !== '404' && !/stream not found/i.test((error as Error).message)) throw error;
    await jsm.streams.add(wanted).catch(async (e: unknown) => {
      // Another process created it between our look and our add.
      if (!/already in use|exists/i.test((e as Error).message)) throw e;
    });
  }
}

async function ensureConsumer(jsm: JetStreamManager, opts: ConsumeOptions): Promise<void> {
  // The delivery limit is enforced by us (see NatsConsumer), so JetStream redelivers without limit.
  const config: Partial<ConsumerConfig> = {
    durable_name: opts.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(opts.ackWaitMs),
    max_deliver: -1,
    filter_subject: opts.filterSubject,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: Math.max(1000, (opts.concurrency ?? 1) * 10),
  };
  try {
    await jsm.consumers.add(streams.jobs.name, config);
  } catch (error) {
    if (!/already exists|consumer name already in use/i.test((error as Error).message)) throw error;
    await jsm.consumers.update(streams.jobs.name, opts.durable, {
      ack_wait: config.ack_wait,
      max_deliver: -1,
      filter_subject: opts.filterSubject,
      max_ack_pending: config.max_ack_pending,
    });
  }
}

class NatsConsumer {
  private running = false;
  private active = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly opts: ConsumeOptions,
    private readonly handler: (job: Job) => Promise<void>,
  ) {}

  start() {
    this.running = true;
    this.loop = this.run();
  }

  async stop() {
    this.running = false;
    await this.loop;
  }

  private async run() {
    const consumer = await this.js.consumers.get(streams.jobs.name, this.opts.durable);
    const limit = this.opts.concurrency ?? 1;
    while (this.running) {
      if (this.active >= limit) {
        await sleep(20);
        continue;
      }
      let batch;
      try {
        batch = await consumer.fetch({ max_messages: limit - this.active, expires: FETCH_EXPIRES_MS });
      } catch (error) {
        if (!this.running) break;
        console.error(`fetching jobs for ${this.opts.durable} failed:`, (error as Error).message);
        await sleep(500);
        continue;
      }
      for await (const msg of batch) {
        if (!this.running) {
          // Not ours any more: let JetStream hand it to another consumer straight away.
          msg.nak();
          continue;
        }
        void this.handle(msg);
      }
    }
  }

  private async handle(msg: JsMsg) {
    const deliveryCount = msg.info.redeliveryCount;
    if (deliveryCount > this.opts.maxDeliver) {
      msg.term();
      await this.opts.onDeadLetter?.({ id: jobId(msg), subject: msg.subject, data: msg.data, deliveryCount: deliveryCount - 1 });
      return;
    }
    this.active++;
    let settled = false;
    const once = (fn: () => void) => async () => {
      if (settled) return;
      settled = true;
      this.active--;
      fn();
    };
    const job: Job = {
      id: jobId(msg),
      subject: msg.subject,
      data: msg.data,
      json: <T>() => decode<T>(msg.data),
      deliveryCount,
      ack: once(() => msg.ack()),
      nak: (delayMs?: number) => once(() => msg.nak(delayMs))(),
      // The reason is kept in our logs only: older servers do not parse "+TERM <reason>" and redeliver.
      term: (_reason: string) => once(() => msg.term())(),
      working: async () => {
        if (!settled) msg.working();
      },
    };
    try {
      await this.handler(job);
    } catch (error) {
      console.error(`job handler for ${msg.subject} failed:`, error);
      await job.nak();
    }
    // A handler that returned without settling (e.g. its consumer is stopping) gives the slot back;
    // JetStream redelivers after ack_wait.
    if (!settled) {
      settled = true;
      this.active--;
    }
  }
}

function jobId(msg: JsMsg): string {
  return msg.headers?.get('Nats-Msg-Id') || `${streams.jobs.name}:${msg.seq}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
