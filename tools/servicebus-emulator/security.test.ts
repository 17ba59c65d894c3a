/**
 * SAS authorization ($cbs put-token against configured policies) and hostile clients on raw sockets.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceBusClient } from '@azure/service-bus';
import { startEmulator } from './index';
import type { RunningEmulator } from './index';
import { namespace, sdkClient } from './test-support';

const config = namespace({
  SharedAccessPolicies: [{ Name: 'root', Key: 'root-secret', Rights: ['Manage', 'Send', 'Listen'] }],
  Topics: [
    {
      Name: 'station-events',
      SharedAccessPolicies: [{ Name: 'station', Key: 'station-secret', Rights: ['Send'] }],
      Subscriptions: [
        { Name: 'hq', SharedAccessPolicies: [{ Name: 'hq', Key: 'hq-secret', Rights: ['Listen'] }] },
        { Name: 'other' },
      ],
    },
  ],
  Queues: [{ Name: 'q' }],
});

describe('SAS authorization', () => {
  let em: RunningEmulator;
  const clients: ServiceBusClient[] = [];
  const as = (name: string, key: string): ServiceBusClient => {
    const c = sdkClient(em.connectionStringFor(name, key), 0);
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    em = await startEmulator({ config, port: 0 });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await em?.stop();
  });

  it('lets a namespace Manage policy send and receive everywhere', async () => {
    expect(em.connectionString).toContain('SharedAccessKeyName=root;SharedAccessKey=root-secret');
    const root = as('root', 'root-secret');
    const s = root.createSender('station-events');
    await s.sendMessages({ body: 'hello' });
    const r = root.createReceiver('station-events', 'other', { receiveMode: 'receiveAndDelete' });
    expect((await r.receiveMessages(1, { maxWaitTimeInMs: 1000 })).map((m) => m.body)).toEqual(['hello']);
  });

  it('enforces rights: a Send policy cannot listen, a Listen policy cannot send', async () => {
    const station = as('station', 'station-secret');
    await station.createSender('station-events').sendMessages({ body: 'from-station' });
    await expect(
      station.createReceiver('station-events', 'hq').receiveMessages(1, { maxWaitTimeInMs: 500 }),
    ).rejects.toMatchObject({ code: 'UnauthorizedAccess' });
    const hq = as('hq', 'hq-secret');
    const got = await hq
      .createReceiver('station-events', 'hq', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(5, { maxWaitTimeInMs: 1000 });
    expect(got.map((m) => m.body)).toContain('from-station');
    await expect(hq.createSender('station-events').sendMessages({ body: 'x' })).rejects.toMatchObject({
      code: 'UnauthorizedAccess',
    });
    // A subscription-scoped policy does not reach a sibling subscription or another entity.
    await expect(
      hq.createReceiver('station-events', 'other').receiveMessages(1, { maxWaitTimeInMs: 500 }),
    ).rejects.toMatchObject({ code: 'UnauthorizedAccess' });
    await expect(station.createSender('q').sendMessages({ body: 'x' })).rejects.toMatchObject({
      code: 'UnauthorizedAccess',
    });
  });

  it("lets a key peek a dead-letter queue it may listen on (the SDK's token names the DLQ's $management node), no other", async () => {
    expect(
      await as('root', 'root-secret')
        .createReceiver('station-events', 'other', { subQueueType: 'deadLetter' })
        .peekMessages(5),
    ).toEqual([]);
    const hq = as('hq', 'hq-secret');
    expect(await hq.createReceiver('station-events', 'hq', { subQueueType: 'deadLetter' }).peekMessages(5)).toEqual([]);
    await expect(
      hq.createReceiver('station-events', 'other', { subQueueType: 'deadLetter' }).peekMessages(5),
    ).rejects.toMatchObject({ code: 'UnauthorizedAccess' });
  });

  it('rejects tokens signed with a wrong key or an unknown key name', async () => {
    await expect(
      as('station', 'wrong-secret').createSender('station-events').sendMessages({ body: 'x' }),
    ).rejects.toMatchObject({ code: 'UnauthorizedAccess' });
    await expect(
      as('nobody', 'root-secret').createSender('station-events').sendMessages({ body: 'x' }),
    ).rejects.toMatchObject({ code: 'UnauthorizedAccess' });
  });
});

describe('hostile clients', () => {
  let em: RunningEmulator;
  let client: ServiceBusClient;
  beforeAll(async () => {
    em = await startEmulator({ config: namespace({ Queues: [{ Name: 'q' }] }), port: 0 });
    client = sdkClient(em);
  });
  afterAll(async () => {
    await client?.close();
    await em?.stop();
  });

  /** Writes `bytes` on a raw socket and resolves when the server closes it (or rejects after 3 s). */
  const closedBy = (bytes: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const s = net.connect(em.port, '127.0.0.1');
      const got: Buffer[] = [];
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error('the server kept a hostile connection open'));
      }, 3_000);
      s.on('data', (d) => got.push(d));
      s.on('error', () => {});
      s.on('close', () => {
        clearTimeout(timer);
        resolve(Buffer.concat(got));
      });
      s.write(bytes);
    });

  const roundTrip = async (body: string): Promise<void> => {
    await client.createSender('q').sendMessages({ body });
    const [m] = await client
      .createReceiver('q', { receiveMode: 'receiveAndDelete' })
      .receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(m?.body).toBe(body);
  };

  it('closes connections that send garbage, oversize frames or malformed frames, and keeps serving others', async () => {
    await roundTrip('before');
    const header = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x03, 0x01, 0x00, 0x00]); // AMQP SASL header
    const oversize = Buffer.alloc(8);
    oversize.writeUInt32BE(0x7fffffff, 0);
    const malformed = Buffer.from([
      0x00, 0x00, 0x00, 0x10, 0x02, 0x01, 0x00, 0x00, 0x00, 0x53, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ]);
    const results = await Promise.all([
      closedBy(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')),
      closedBy(Buffer.concat([header, oversize])),
      closedBy(Buffer.concat([header, malformed])),
      closedBy(Buffer.from([0x00, 0x00, 0x00, 0x01])), // a frame smaller than its own header
    ]);
    expect(results).toHaveLength(4);
    await roundTrip('after');
  });
});
