import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BusNoRespondersError, BusRequestError, BusTimeoutError, type Bus, type Job } from '../core/bus/port';
import { openTestBus, testNamespace, type BusKindUnderTest } from './helpers/bus';

// One contract, two implementations: whatever passes here behaves the same in-process and on NATS.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition') {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

for (const kind of ['local', 'nats'] as BusKindUnderTest[]) {
  describe(`bus contract: ${kind}`, () => {
    let bus: Bus;
    let skip: string | undefined;
    before(async () => {
      const opened = await openTestBus(kind);
      if ('skip' in opened) skip = opened.skip;
      else bus = opened;
    });
    after(async () => bus?.close());

    test('publish reaches every plain subscriber; a queue group gets each message once', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      const subject = ns.subject('events').replace('ferry.jobs.', 'ferry.evt.');
      const plain: number[][] = [[], []];
      const grouped: number[] = [];
      const subs = [
        await bus.subscribe(subject, (m) => void plain[0]!.push(m.json<{ n: number }>().n)),
        await bus.subscribe(subject, (m) => void plain[1]!.push(m.json<{ n: number }>().n)),
        await bus.subscribe(subject, (m) => void grouped.push(m.json<{ n: number }>().n), { queue: 'g' }),
        await bus.subscribe(subject, (m) => void grouped.push(m.json<{ n: number }>().n), { queue: 'g' }),
      ];
      await sleep(50);
      for (let n = 0; n < 10; n++) await bus.publish(subject, { n });
      await waitFor(() => plain[0]!.length === 10 && plain[1]!.length === 10 && grouped.length === 10, 5000, 'deliveries');
      await sleep(100);
      assert.deepEqual(
        [...grouped].sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      assert.equal(plain[0]!.length, 10);
      for (const s of subs) await s.unsubscribe();
    });

    test('request/reply, timeout, no responders and error replies', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      const echo = ns.subject('echo').replace('ferry.jobs.', 'ferry.rpc.');
      const slow = ns.subject('slow').replace('ferry.jobs.', 'ferry.rpc.');
      const failing = ns.subject('fail').replace('ferry.jobs.', 'ferry.rpc.');
      const subs = [
        await bus.reply(echo, (m) => ({ got: m.json<{ x: number }>().x * 2 })),
        await bus.reply(slow, async () => {
          await sleep(1000);
          return 'late';
        }),
        await bus.reply(failing, () => {
          throw new Error('kernel slots full');
        }),
      ];
      await sleep(50);
      assert.deepEqual(await bus.request(echo, { x: 21 }, { timeoutMs: 2000 }), { got: 42 });
      await assert.rejects(bus.request(slow, {}, { timeoutMs: 200 }), BusTimeoutError);
      await assert.rejects(
        bus.request(ns.subject('nobody').replace('ferry.jobs.', 'ferry.rpc.'), {}, { timeoutMs: 2000 }),
        BusNoRespondersError,
      );
      await assert.rejects(
        bus.request(failing, {}, { timeoutMs: 2000 }),
        (e: unknown) => e instanceof BusRequestError && /slots full/.test(e.message),
      );
      for (const s of subs) await s.unsubscribe();
    });

    test('an acked job is not delivered again; a nak redelivers with a higher count', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      const seen: Array<{ n: number; count: number }> = [];
      const consumer = await bus.jobs.consume(
        { durable: ns.durable('w'), filterSubject: ns.subject('>'), ackWaitMs: 1000, maxDeliver: 5 },
        async (job) => {
          const { n } = job.json<{ n: number }>();
          seen.push({ n, count: job.deliveryCount });
          if (n === 2 && job.deliveryCount === 1) await job.nak();
          else await job.ack();
        },
      );
      await bus.jobs.enqueue(ns.subject('a'), { n: 1 });
      await bus.jobs.enqueue(ns.subject('a'), { n: 2 });
      await waitFor(() => seen.length === 3, 8000, 'three deliveries');
      await sleep(1500);
      assert.deepEqual(seen.map((s) => `${s.n}:${s.count}`).sort(), ['1:1', '2:1', '2:2']);
      await consumer.stop();
    });

    test('a job held by a consumer that dies is redelivered to another after ackWait', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      const opts = { durable: ns.durable('shared'), filterSubject: ns.subject('>'), ackWaitMs: 700, maxDeliver: 5 };
      let firstGot = 0;
      const dying = await bus.jobs.consume(opts, async () => {
        firstGot++;
        await new Promise(() => undefined); // hangs forever, like a killed process
      });
      await bus.jobs.enqueue(ns.subject('train'), { epochs: 3 });
      await waitFor(() => firstGot === 1, 5000, 'first delivery');
      await dying.stop();
      const redelivered: Job[] = [];
      const survivor = await bus.jobs.consume(opts, async (job) => {
        redelivered.push(job);
        await job.ack();
      });
      await waitFor(() => redelivered.length === 1, 8000, 'redelivery');
      assert.equal(redelivered[0]!.deliveryCount, 2);
      assert.deepEqual(redelivered[0]!.json(), { epochs: 3 });
      await survivor.stop();
    });

    test('after maxDeliver the job goes to the dead-letter callback and stops', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      let deliveries = 0;
      const dead: Array<{ id: string; deliveryCount: number }> = [];
      const consumer = await bus.jobs.consume(
        {
          durable: ns.durable('dl'),
          filterSubject: ns.subject('>'),
          ackWaitMs: 1000,
          maxDeliver: 3,
          onDeadLetter: (j) => void dead.push({ id: j.id, deliveryCount: j.deliveryCount }),
        },
        async (job) => {
          deliveries++;
          await job.nak();
        },
      );
      await bus.jobs.enqueue(ns.subject('x'), { poison: true }, { id: `poison-${ns.durable('id')}` });
      await waitFor(() => dead.length === 1, 8000, 'dead letter');
      await sleep(1200);
      assert.equal(deliveries, 3);
      assert.equal(dead[0]!.deliveryCount, 3);
      assert.equal(dead[0]!.id, `poison-${ns.durable('id')}`);
      await consumer.stop();
    });

    test('term never redelivers; duplicate ids are stored once; working() holds the lease', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      const got: string[] = [];
      const consumer = await bus.jobs.consume(
        { durable: ns.durable('t'), filterSubject: ns.subject('>'), ackWaitMs: 600, maxDeliver: 5 },
        async (job) => {
          const { kind } = job.json<{ kind: string }>();
          got.push(`${kind}:${job.deliveryCount}`);
          if (kind === 'bad') return job.term('invalid job');
          // Outlives ackWait twice over, but keeps saying it is working.
          for (let i = 0; i < 6; i++) {
            await sleep(200);
            await job.working();
          }
          await job.ack();
        },
      );
      await bus.jobs.enqueue(ns.subject('j'), { kind: 'bad' });
      await bus.jobs.enqueue(ns.subject('j'), { kind: 'slow' }, { id: `same-${ns.durable('x')}` });
      await bus.jobs.enqueue(ns.subject('j'), { kind: 'slow' }, { id: `same-${ns.durable('x')}` });
      await waitFor(() => got.includes('slow:1'), 5000, 'slow job');
      await sleep(2500);
      assert.deepEqual(got.sort(), ['bad:1', 'slow:1']);
      await consumer.stop();
    });

    test('a consumer never runs more jobs at once than its concurrency', async (c) => {
      if (skip) return c.skip(skip);
      const ns = testNamespace();
      let running = 0;
      let peak = 0;
      let done = 0;
      const consumer = await bus.jobs.consume(
        { durable: ns.durable('c'), filterSubject: ns.subject('>'), ackWaitMs: 5000, maxDeliver: 2, concurrency: 2 },
        async (job) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(100);
          running--;
          done++;
          await job.ack();
        },
      );
      for (let i = 0; i < 6; i++) await bus.jobs.enqueue(ns.subject('c'), { i });
      await waitFor(() => done === 6, 10_000, 'six jobs');
      assert.equal(peak, 2);
      await consumer.stop();
    });
  });
}
