/**
 * A station added on the day with an empty database (DESIGN §7): HQ is configured to send it a snapshot, the
 * station imports it from the feed, agrees with everyone on the numbers, and sells and registers like the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { startWorld, until, type World } from '../../tools/demo/world';
import { conferenceDay, dayAt, must, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let world: World | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
  t?.cleanup();
});

function conference(): ConferenceFile {
  const registrants: ConferenceFile['registrants'] = [];
  for (let i = 0; i < 130; i++) {
    registrants.push({
      id: `a${i}`,
      confirmationCode: `A-${i}`,
      firstName: 'Attendee',
      lastName: `Number ${i}`,
      email: '',
      company: i % 2 ? 'Initech' : 'Hooli',
      ticketTypeId: i % 10 ? 'full' : 'speaker',
      sessions: i % 5 === 0 ? ['panel'] : [],
    });
  }
  return {
    format: 'lanyard.conference/1',
    conference: {
      id: 'late-conf',
      name: 'Late Conf',
      timezone: 'UTC',
      startsOn: conferenceDay(),
      endsOn: conferenceDay(),
    },
    ticketTypes: [
      { id: 'full', name: 'Full', badgeTemplate: 'standard' },
      { id: 'speaker', name: 'Speaker', badgeTemplate: 'speaker' },
    ],
    sessions: [
      {
        id: 'panel',
        title: 'Panel',
        room: 'A',
        startsAt: dayAt('14:00'),
        endsAt: dayAt('15:00'),
        capacity: 40,
        sellable: true,
      },
      {
        id: 'keynote',
        title: 'Keynote',
        room: 'Hall',
        startsAt: dayAt('09:00'),
        endsAt: dayAt('10:00'),
        capacity: 500,
        sellable: false,
      },
    ],
    registrants,
  };
}

describe('a late-joining station', () => {
  it(
    'imports HQ’s snapshot from the feed, agrees on the numbers, and works like the others',
    { timeout: 60_000 },
    async () => {
      t = tempDir('lanyard-late-');
      world = await startWorld({
        dir: t.dir,
        conference: conference(),
        stations: [{ id: 'desk-a' }, { id: 'late', noImport: true }],
        hq: { snapshotFor: ['late'], snapshotChunkSize: 40 },
      });
      const w = world;
      const late = w.stations.late!.station;
      await until(
        async () => must(await late.call('station.status', {})).conference !== null && (await w.agree()),
        20_000,
        'the late station to import and agree',
      );
      expect(must(await late.call('registrant.search', { query: 'attendee number 129' })).map((r) => r.id)).toEqual([
        'a129',
      ]);
      expect(must(await late.call('registrant.get', { id: 'a10' })).ticketTypeId).toBe('speaker');
      expect(must(await late.call('sessions.list', {})).map((s) => [s.id, s.availability.sold])).toEqual([
        ['keynote', 0],
        ['panel', 26],
      ]);

      // It sells online (HQ decides) and its walk-ups reach the other desk.
      await until(async () => must(await late.call('sync.status', {})).state === 'online', 10_000, 'online');
      const sale = must(await late.call('sale.sell', { sessionId: 'panel', registrantId: 'a1' }));
      expect(sale).toMatchObject({ outcome: 'confirmed', sale: { tier: 'online', status: 'confirmed' } });
      const walkUp = must(
        await late.call('registrant.registerWalkUp', { firstName: 'Arrived', lastName: 'Late', ticketTypeId: 'full' }),
      );
      const a = w.stations['desk-a']!.station;
      await until(async () => (await a.call('registrant.get', { id: walkUp.id })).ok, 10_000, 'the walk-up at desk A');
      await until(async () => w.agree(), 10_000, 'agreement after the sale');
      expect((await w.numbers()).hq!.panel!.sold).toBe(27);
    },
  );
});
