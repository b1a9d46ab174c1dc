import { createInProcessBus } from './in-process';
import { connectNatsBus } from './nats';
import type { Bus } from './port';

export type { Bus } from './port';

/** NATS JetStream when a URL is given, else the in-process bus with the same contract. */
export async function createBus(natsUrl?: string, opts?: { name?: string }): Promise<Bus> {
  return natsUrl ? connectNatsBus(natsUrl, opts) : createInProcessBus();
}
