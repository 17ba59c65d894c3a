import { BehaviorSubject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { fakeHq, startBus, waitFor } from '../support/bus';
import { rawAll } from '../support/db-snapshot';
import { dayAt, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';

let t: ReturnType<typeof tempDir>;
let bus: RunningEmulator;
let station: Station;
let os: BehaviorSubject<boolean>;
let hqSide: ReturnType<typeof fakeHq>;
const dbPath = () => `${t.dir}/desk-a.db`;

function bigConference() {
  const c = smallConference();
  c.sessions.push({
    id: 'hall',
    title: 'Big hall',
    room: 'H',
    startsAt: dayAt('13:00'),
    endsAt: dayAt('14:00'),
    capacity: 5000,
    sellable: true,
  });
  for (let i = 0; i < 200; i++)
    c.registrants.push({
      id: `x${i}`,
      confirmationCode: `X-${i}`,
      firstName: 'Guest',
      lastName: `Number ${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  return c;
}

beforeEach(async () => {
  t = tempDir();
  bus = await startBus(['desk-a']);
  os = new BehaviorSubject(false);
  // HQ is played by hand here: no allotment keeper asking it for seats.
  station = await openStation(t.dir, {
    sync: { connectionString: bus.connectionString, retry: { initialMs: 50, maxMs: 500 }, keepSeatsInHand: 0 },
    osOnline$: os,
  });
  hqSide = fakeHq(bus.connectionString);
});
afterEach(async () => {
  await station.close();
  await hqSide.close();
  await bus.stop();
  t.cleanup();
});

describe('sync over the real SDK and the emulator', () => {
  it('200 offline sales reach HQ exactly once, in seq order, after reconnecting', async () => {
    must(await station.call('conference.import', { data: bigConference() }));
    must(
      await station.call('feed.apply', {
        envelope: hq('AllotmentGranted', {
          allotmentId: 'a1',
          requestId: null,
          station: 'station:desk-a',
          sessionId: 'hall',
          seats: 200,
        }),
      }),
    );
    for (let i = 0; i < 200; i++) {
      const r = must(await station.call('sale.sell', { sessionId: 'hall', registrantId: `x${i}` }));
      expect(r.sale?.tier).toBe('allotment');
    }
    const before = must(await station.call('sync.status', {}));
    expect(before).toMatchObject({ configured: true, state: 'offline', outbox: { depth: 200 } });
    expect(before.reason).toBe('the network is down');

    os.next(true);
    const got = await hqSide.drain(200);
    expect(got.map((g) => g.envelope.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(new Set(got.map((g) => g.envelope.id)).size).toBe(200);
    expect(
      got.every(
        (g) =>
          g.message.messageId === g.envelope.id &&
          g.message.applicationProperties?.type === 'SeatSold' &&
          g.message.applicationProperties?.sessionId === 'hall',
      ),
    ).toBe(true);
    await waitFor(
      async () => must(await station.call('sync.status', {})).outbox.depth === 0,
      10_000,
      'outbox marked sent',
    );
    // Nothing more arrives: exactly once.
    expect(await hqSide.drain(1, 1000)).toEqual([]);
  });

  it('applies the feed once, dead-letters and quarantines bad messages, and keeps going', async () => {
    must(await station.call('conference.import', { data: smallConference() }));
    os.next(true);
    const avail = hqSide.feed('SeatAvailability', {
      sessionId: 'panel',
      capacity: 10,
      sold: 7,
      allotted: 0,
      version: 3,
      salesRatePerMin: 0.2,
    });
    await hqSide.publish(avail, hqSide.feed('Heartbeat', { hqTime: new Date().toISOString() }));
    await hqSide.publishRaw('this is not json');
    await hqSide.publish({
      ...hqSide.feed('SeatAvailability', {
        sessionId: 'panel',
        capacity: -5,
        sold: 0,
        allotted: 0,
        version: 9,
        salesRatePerMin: 0,
      }),
    });
    await hqSide.publish(avail); // a duplicate with a new bus message id is still recognised by its envelope id
    await waitFor(
      async () => must(await station.call('sync.status', {})).inbox.quarantined === 2,
      10_000,
      'two quarantined',
    );
    await waitFor(async () => must(await station.call('sync.status', {})).state === 'online', 10_000, 'online');
    const s = must(await station.call('sessions.list', {})).find((x) => x.id === 'panel')!;
    expect(s.availability).toMatchObject({ sold: 7, version: 3, salesRatePerMin: 0.2 });
    const inbox = rawAll<{ status: string; note: string | null }>(
      dbPath(),
      'SELECT status, note FROM inbox ORDER BY received_at',
    );
    expect(inbox.filter((r) => r.status === 'applied')).toHaveLength(2);
    expect(inbox.filter((r) => r.status === 'quarantined').map((r) => r.note)).toEqual([
      'the body is not JSON',
      expect.stringContaining('capacity'),
    ]);
    const dlq = hqSide.client.createReceiver('station-feed', 'station-desk-a', { subQueueType: 'deadLetter' });
    const dead = await dlq.receiveMessages(10, { maxWaitTimeInMs: 2000 });
    expect(dead.map((m) => m.deadLetterReason)).toEqual(['InvalidFeedMessage', 'InvalidFeedMessage']);
    await dlq.close();
  });

  /** Online, with HQ's feed current: a sale that waits for HQ's verdict, and its id as HQ received it. */
  async function saleAwaitingVerdict() {
    must(await station.call('conference.import', { data: smallConference() }));
    os.next(true);
    await hqSide.publish(hqSide.feed('Heartbeat', { hqTime: new Date().toISOString() }));
    await waitFor(async () => must(await station.call('sync.status', {})).state === 'online', 10_000, 'online');
    const pending = station.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' });
    const [sold] = await hqSide.drain(1, 5000);
    expect(sold!.envelope.type).toBe('SeatSold');
    return { pending, saleId: (sold!.envelope.payload as { saleId: string }).saleId };
  }

  it('the online tier waits for HQ’s verdict through the bus', async () => {
    const { pending, saleId } = await saleAwaitingVerdict();
    await hqSide.publish(hqSide.feed('SaleConfirmed', { saleId, sessionId: 'panel' }));
    const out = must(await pending);
    expect(out).toMatchObject({ outcome: 'confirmed', sale: { tier: 'online', status: 'confirmed' } });
  });

  it('an oversold verdict for a seat nobody took yet sends the release to HQ at once, with nothing else happening', async () => {
    const { pending, saleId } = await saleAwaitingVerdict();
    await hqSide.publish(
      hqSide.feed('SaleOversold', { saleId, sessionId: 'panel', station: 'station:desk-a', overBy: 1 }),
    );
    expect(must(await pending)).toMatchObject({ outcome: 'refused', sale: { status: 'refused' } });
    // The release is appended by the feed apply, not by a command: the relay must still be woken for it.
    const [released] = await hqSide.drain(1, 5000);
    expect(released?.envelope).toMatchObject({ type: 'SeatReleased', seq: 2, payload: { saleId } });
    await waitFor(async () => must(await station.call('sync.status', {})).outbox.depth === 0, 5000, 'outbox empty');
  });

  it('work offline stops sending; switching back flushes', async () => {
    must(await station.call('conference.import', { data: smallConference() }));
    os.next(true);
    await waitFor(async () => must(await station.call('sync.status', {})).state !== 'connecting', 10_000, 'connected');
    must(await station.call('sync.setWorkOffline', { on: true }));
    must(await station.call('checkin.record', { registrantId: 'r1' }));
    expect(await hqSide.drain(1, 800)).toEqual([]);
    const st = must(await station.call('sync.status', {}));
    expect(st).toMatchObject({ state: 'offline', workOffline: true, outbox: { depth: 1 } });
    must(await station.call('sync.setWorkOffline', { on: false }));
    expect((await hqSide.drain(1, 5000)).map((g) => g.envelope.type)).toEqual(['CheckedIn']);
  });

  it('rejects an invalid sync configuration without echoing the secret', async () => {
    const bad = 'Endpoint=http://example/;SharedAccessKeyName=k;SharedAccessKey=super-secret-value';
    await expect(openStation(t.dir, { stationId: 'desk-a', sync: { connectionString: bad } })).rejects.toThrow(
      /connectionString: the Endpoint must start with sb:\/\//,
    );
    await expect(openStation(t.dir, { stationId: 'desk-a', sync: { connectionString: bad } })).rejects.not.toThrow(
      /super-secret-value/,
    );
  });
});
