import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from './helpers/collab-client';
import { apiClient, serverSkipReason, startServerProcess, type ServerProcess } from './helpers/server';

// Background jobs run once per deployment: of two server instances on one PostgreSQL, exactly one
// leads (a session advisory lock); killed with -9, the other takes over within seconds.

describe('leadership across two instances (PostgreSQL + NATS)', () => {
  let one: ServerProcess;
  let two: ServerProcess;
  let skip: string | null = null;
  before(async () => {
    skip = await serverSkipReason({ db: 'postgres', nats: true });
    if (skip) return;
    one = await startServerProcess({ db: 'postgres', nats: true, env: { FERRY_EMBEDDED_WORKERS: '0' } });
    two = await startServerProcess({
      db: 'postgres',
      nats: true,
      env: { FERRY_EMBEDDED_WORKERS: '0', DATABASE_URL: one.env.DATABASE_URL! },
    });
  });
  after(async () => {
    await two?.dispose();
    await one?.dispose();
  });

  const leads = async (s: ServerProcess) => (await apiClient(s.url).get('/api/health')).json.leader === true;

  test('exactly one instance leads; kill -9 the leader and the other leads within 30 s', async (c) => {
    if (skip) return c.skip(skip);
    await eventually(async () => (await leads(one)) !== (await leads(two)), 15_000, 'exactly one leader');
    const [leader, follower] = (await leads(one)) ? [one, two] : [two, one];
    assert.equal(await leads(follower), false);
    const killedAt = Date.now();
    await leader.kill();
    await eventually(() => leads(follower), 30_000, 'the other instance to take over');
    console.log(`[timing] leadership handed over ${Date.now() - killedAt} ms after kill -9`);
    assert.match(follower.logs(), /this instance leads the background jobs/);
  });
});
