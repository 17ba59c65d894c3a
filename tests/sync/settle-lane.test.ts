/**
 * Why the receivers settle through core/settle-lane.ts: with the real SDK (and rhea 3.0.5 under it), a completion
 * and a dead-letter issued in the same tick for consecutive deliveries reach the broker as one disposition range
 * with the first one's outcome. Through the lane each settlement keeps its own outcome.
 * If the raw cases start failing after an upgrade, rhea has fixed the fault and the lane may go.
 */
import { ServiceBusClient, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settleLane } from '../../core/settle-lane';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { fastRetry, startBus } from '../support/bus';

let bus: RunningEmulator;
let client: ServiceBusClient;
beforeEach(async () => {
  bus = await startBus(['desk-a']);
  client = new ServiceBusClient(bus.connectionString, fastRetry);
});
afterEach(async () => {
  await client.close();
  await bus.stop();
});

type Settle = (r: ServiceBusReceiver, m: ServiceBusReceivedMessage) => Promise<void>;
const complete: Settle = (r, m) => r.completeMessage(m);
const deadLetter: Settle = (r, m) =>
  r.deadLetterMessage(m, { deadLetterReason: 'Test', deadLetterErrorDescription: `bad ${String(m.messageId)}` });

/** Two messages received together, settled in the same tick; returns the ids left in the dead-letter queue. */
async function settleTogether(
  first: Settle,
  second: Settle,
  wrap: (f: () => Promise<void>, s: Settle) => Promise<void>,
): Promise<string[]> {
  const sender = client.createSender('station-feed');
  await sender.sendMessages([
    { body: 'one', messageId: 'm1' },
    { body: 'two', messageId: 'm2' },
  ]);
  const receiver = client.createReceiver('station-feed', 'station-desk-a');
  const got: ServiceBusReceivedMessage[] = [];
  while (got.length < 2) got.push(...(await receiver.receiveMessages(2 - got.length, { maxWaitTimeInMs: 2000 })));
  await Promise.all([wrap(() => first(receiver, got[0]!), first), wrap(() => second(receiver, got[1]!), second)]);
  const dlq = client.createReceiver('station-feed', 'station-desk-a', { subQueueType: 'deadLetter' });
  const dead = await dlq.peekMessages(10);
  expect(await receiver.peekMessages(10)).toEqual([]); // both settled one way or the other
  return dead.map((m) => String(m.messageId));
}

const raw = (f: () => Promise<void>) => f();
const lane = () => {
  const l = settleLane();
  return (f: () => Promise<void>, s: Settle) => (s === complete ? l.shared(f) : l.alone(f));
};

describe('settling a completion and a dead-letter together', () => {
  it('raw SDK: the dead-letter after a completion is lost (the message is completed)', async () => {
    expect(await settleTogether(complete, deadLetter, raw)).toEqual([]);
  });
  it('raw SDK: the completion after a dead-letter dead-letters a good message', async () => {
    expect(await settleTogether(deadLetter, complete, raw)).toEqual(['m1', 'm2']);
  });
  it('through the lane: each keeps its own outcome, in either order', async () => {
    expect(await settleTogether(complete, deadLetter, lane())).toEqual(['m2']);
  });
  it('through the lane, dead-letter first', async () => {
    expect(await settleTogether(deadLetter, complete, lane())).toEqual(['m1']);
  });
});
