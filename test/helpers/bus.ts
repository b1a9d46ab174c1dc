import { randomBytes } from 'node:crypto';
import { connectNatsBus } from '../../core/bus/nats';
import { createInProcessBus } from '../../core/bus/in-process';
import type { Bus } from '../../core/bus/port';
import { natsTestUrl, requireService } from './services';

export type BusKindUnderTest = 'local' | 'nats';

export async function openTestBus(kind: BusKindUnderTest): Promise<Bus | { skip: string }> {
  if (kind === 'local') return createInProcessBus();
  const skip = await requireService('NATS', natsTestUrl());
  if (skip) return { skip };
  return connectNatsBus(natsTestUrl(), { name: 'ferry-test' });
}

/** Subjects and durable names unique to one test, so leftovers of an earlier run are never picked up. */
export function testNamespace(): { subject: (name: string) => string; durable: (name: string) => string } {
  const id = randomBytes(5).toString('hex');
  return { subject: (name) => `ferry.jobs.test.${id}.${name}`, durable: (name) => `test-${id}-${name}` };
}
