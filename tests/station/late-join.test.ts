/**
 * A late-joining station with an empty database gets its conference from HQ's snapshot chunks (DESIGN §7):
 * chunk 0 imports conference, ticket types and sessions; other chunks add registrants, also when they arrive first.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registrant } from '../../core/conference';
import type { Station } from '../../main/station/create-station';
import { rawAll } from '../support/db-snapshot';
import { hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
beforeEach(async () => {
  t = tempDir();
  s = await openStation(t.dir);
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

const conf = smallConference();
const people = (from: number, n: number): Registrant[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `p${from + i}`,
    confirmationCode: `P-${from + i}`,
    firstName: 'Late',
    lastName: `Person ${from + i}`,
    email: '',
    company: 'Initech',
    ticketTypeId: 'full',
    sessions: i % 4 === 0 ? ['panel'] : [],
  }));
const chunk = (n: number, of: number, registrants: Registrant[], station = 'station:desk-a') =>
  hq('ConferenceSnapshotChunk', {
    station: station as `station:${string}`,
    chunk: n,
    of,
    conference: n === 0 ? conf.conference : null,
    sessions: n === 0 ? conf.sessions : [],
    ticketTypes: n === 0 ? conf.ticketTypes : [],
    registrants,
  });

describe('a late joiner imports HQ’s snapshot', () => {
  it('in order or not: chunk 2 before chunk 0 waits, then everything is there and searchable', async () => {
    const r = must(await s.call('feed.applyBatch', { envelopes: [chunk(2, 3, people(20, 5))] }));
    expect(r).toEqual([{ status: 'ignored', type: 'ConferenceSnapshotChunk', note: 'waiting for snapshot chunk 0' }]);
    expect(must(await s.call('station.status', {})).conference).toBeNull();

    const [first, second] = must(
      await s.call('feed.applyBatch', { envelopes: [chunk(0, 3, people(0, 10)), chunk(1, 3, people(10, 10))] }),
    );
    expect(first).toMatchObject({ status: 'applied', note: expect.stringContaining('conference conf-1: 3 sessions') });
    expect(second).toMatchObject({ status: 'applied' });
    expect(rawAll<{ n: number }>(`${t.dir}/desk-a.db`, 'SELECT count(*) n FROM registrant')[0]!.n).toBe(25);
    expect(
      rawAll<{ status: string; note: string }>(
        `${t.dir}/desk-a.db`,
        `SELECT status, note FROM inbox WHERE type = 'ConferenceSnapshotChunk' ORDER BY received_at`,
      ).map((x) => x.status),
    ).toEqual(['applied', 'applied', 'applied']);
    const panel = must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!;
    expect(panel.availability).toMatchObject({ capacity: 10, sold: 8 }); // the first of every four in each chunk holds a seat: 3 + 3 + 2
    expect(must(await s.call('registrant.search', { query: 'late person 23' })).map((x) => x.id)).toEqual(['p23']);
    // The station can now work: a walk-up, a sale.
    const w = must(
      await s.call('registrant.registerWalkUp', { firstName: 'New', lastName: 'Comer', ticketTypeId: 'full' }),
    );
    expect(w.id).toMatch(/^w-/);
  });

  it('ignores chunks addressed to another station, and a first chunk that does not hold together', async () => {
    const other = must(await s.call('feed.applyBatch', { envelopes: [chunk(0, 1, people(0, 3), 'station:desk-b')] }));
    expect(other[0]).toMatchObject({ status: 'ignored', note: 'addressed to another station' });
    const broken = chunk(0, 1, [{ ...people(0, 1)[0]!, ticketTypeId: 'ghost' }]);
    const r = must(await s.call('feed.applyBatch', { envelopes: [broken] }));
    expect(r[0]).toMatchObject({ status: 'ignored', note: expect.stringContaining('unknown ticket type "ghost"') });
    expect(must(await s.call('station.status', {})).conference).toBeNull();
    expect(rawAll<{ n: number }>(`${t.dir}/desk-a.db`, 'SELECT count(*) n FROM session')[0]!.n).toBe(0);
  });
});
