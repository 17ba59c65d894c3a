/**
 * The definition's SAS rules, enforced by the emulator against the real @azure/service-bus SDK: a station's own key
 * does what a station must (send its events, receive its feed) and nothing else — not another station's feed, not
 * HQ's subscription, not sending on station-feed as if it were HQ. HQ's key likewise.
 */
import { ServiceBusClient } from '@azure/service-bus';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../tools/servicebus-emulator/index';
import {
  hqConnectionString,
  lanyardTopology,
  stationConnectionString,
} from '../tools/servicebus-emulator/lanyard-topology';
import { emulatorKey } from './emulator-config';

// No retries: a refusal surfaces as the SDK's own UnauthorizedAccess error, not an aggregate of attempts.
const retry = { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } };
const denied = { code: 'UnauthorizedAccess' };

describe('least privilege on the emulator', () => {
  let bus: RunningEmulator;
  const clients: ServiceBusClient[] = [];
  const client = (cs: string) => {
    const c = new ServiceBusClient(cs, retry);
    clients.push(c);
    return c;
  };
  let deskA: ServiceBusClient;
  let hq: ServiceBusClient;
  let operator: ServiceBusClient;

  beforeAll(async () => {
    bus = await startEmulator({ config: lanyardTopology(['desk-a', 'desk-b']), port: 0 });
    deskA = client(stationConnectionString(bus, 'desk-a'));
    hq = client(hqConnectionString(bus));
    operator = client(bus.connectionString);
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await bus?.stop();
  });

  const receiveOne = async (c: ServiceBusClient, topic: string, sub: string) => {
    const r = c.createReceiver(topic, sub, { receiveMode: 'peekLock' });
    try {
      const [m] = await r.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
      if (m) await r.completeMessage(m);
      return m;
    } finally {
      await r.close();
    }
  };

  it('a station sends its events to station-events, and HQ receives them on its subscription', async () => {
    const id = randomUUID();
    await deskA.createSender('station-events').sendMessages({ messageId: id, body: 'SeatSold from desk-a' });
    const m = await receiveOne(hq, 'station-events', 'hq');
    expect(m?.messageId).toBe(id);
  });

  it('HQ publishes on station-feed, and a station receives from its own subscription', async () => {
    const id = randomUUID();
    await hq.createSender('station-feed').sendMessages({ messageId: id, body: 'Heartbeat' });
    const m = await receiveOne(deskA, 'station-feed', 'station-desk-a');
    expect(m?.messageId).toBe(id);
    // desk-b's copy is still waiting for desk-b (taken below by the operator, to show it was there).
    expect((await receiveOne(operator, 'station-feed', 'station-desk-b'))?.messageId).toBe(id);
  });

  it("a station's key cannot read another station's subscription, and takes nothing from it", async () => {
    const id = randomUUID();
    await hq.createSender('station-feed').sendMessages({ messageId: id, body: 'for everyone' });
    await expect(
      deskA.createReceiver('station-feed', 'station-desk-b').receiveMessages(1, { maxWaitTimeInMs: 500 }),
    ).rejects.toMatchObject(denied);
    await expect(
      deskA
        .createReceiver('station-feed', 'station-desk-b', { receiveMode: 'receiveAndDelete' })
        .receiveMessages(1, { maxWaitTimeInMs: 500 }),
    ).rejects.toMatchObject(denied);
    await expect(deskA.createReceiver('station-feed', 'station-desk-b').peekMessages(1)).rejects.toMatchObject(denied);
    const deskB = client(stationConnectionString(bus, 'desk-b'));
    expect((await receiveOne(deskB, 'station-feed', 'station-desk-b'))?.messageId).toBe(id);
    expect((await receiveOne(deskA, 'station-feed', 'station-desk-a'))?.messageId).toBe(id);
  });

  it("a station's key cannot send on station-feed (it cannot speak for HQ), nor read station-events", async () => {
    await expect(
      deskA.createSender('station-feed').sendMessages({ body: 'SaleConfirmed, forged' }),
    ).rejects.toMatchObject(denied);
    await expect(
      deskA.createReceiver('station-events', 'hq').receiveMessages(1, { maxWaitTimeInMs: 500 }),
    ).rejects.toMatchObject(denied);
    // Nothing forged reached anyone.
    const r = operator.createReceiver('station-feed', 'station-desk-b');
    expect(await r.peekMessages(10)).toEqual([]);
    await r.close();
  });

  it("HQ's key cannot send as a station nor read a station's feed", async () => {
    await expect(hq.createSender('station-events').sendMessages({ body: 'x' })).rejects.toMatchObject(denied);
    await expect(
      hq.createReceiver('station-feed', 'station-desk-a').receiveMessages(1, { maxWaitTimeInMs: 500 }),
    ).rejects.toMatchObject(denied);
  });

  it("a key under another principal's name is refused", async () => {
    const forged = client(bus.connectionStringFor('station-desk-a', emulatorKey('station-desk-b')));
    await expect(forged.createSender('station-events').sendMessages({ body: 'x' })).rejects.toMatchObject(denied);
    const unknown = client(bus.connectionStringFor('station-desk-z', emulatorKey('station-desk-z')));
    await expect(unknown.createSender('station-events').sendMessages({ body: 'x' })).rejects.toMatchObject(denied);
  });
});
