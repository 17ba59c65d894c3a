/**
 * The feed's group commit on its prepared statements (main/store/feed.ts): a batch of HQ's messages applied in one
 * transaction writes exactly the rows that the same messages applied one at a time write — availability only when
 * newer, verdicts on this station's sales, every id in the inbox once (a second copy within the batch is a
 * duplicate) — compared by a digest of the whole database.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import type { Station } from '../../main/station/create-station';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
const open: Station[] = [];
const min = 60_000;

/** The seed's sale policy numbers, so that a sale 10 minutes after HQ's word is an overdraft sale waiting for HQ. */
function withSeedNumbers(c: ConferenceFile): ConferenceFile {
  c.conference.policy = { ...c.conference.policy, maxStalenessMin: 60, minRemainingRatio: 0.1, overdraftCap: 2 };
  return c;
}

beforeEach(() => {
  t = tempDir();
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  t.cleanup();
});

async function station(dir: string): Promise<{ s: Station; path: string }> {
  const clock = new FakeClock();
  clock.advance(11 * min);
  const s = await openStation(dir, { clock });
  open.push(s);
  return { s, path: join(dir, 'desk-a.db') };
}

describe('a feed batch', () => {
  it('writes the same rows in one transaction as its messages one at a time', async () => {
    // One station with a sale waiting for HQ's verdict, copied: the batch goes to one copy, the messages one by one
    // to the other.
    const first = join(t.dir, 'first');
    mkdirSync(first);
    const clock = new FakeClock();
    const s0 = await openStation(first, { clock });
    must(await s0.call('conference.import', { data: withSeedNumbers(smallConference()) }));
    must(await s0.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: new Date(clock.now()).toISOString() }) }));
    clock.advance(10 * min);
    const sold = must(await s0.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    expect(sold.sale).toMatchObject({ status: 'pending', atRisk: true });
    await s0.close();
    for (const d of ['batch', 'single']) {
      mkdirSync(join(t.dir, d));
      copyFileSync(join(first, 'desk-a.db'), join(t.dir, d, 'desk-a.db'));
    }

    const newer = hq('SeatAvailability', {
      sessionId: 'panel',
      capacity: 10,
      sold: 6,
      allotted: 1,
      version: 7,
      salesRatePerMin: 2,
    });
    const envelopes = [
      newer,
      hq('Heartbeat', { hqTime: newer.at }),
      hq('SeatAvailability', {
        sessionId: 'panel',
        capacity: 10,
        sold: 4,
        allotted: 0,
        version: 6,
        salesRatePerMin: 1,
      }),
      hq('SeatAvailability', { sessionId: 'nope', capacity: 5, sold: 1, allotted: 0, version: 1, salesRatePerMin: 0 }),
      hq('SaleConfirmed', { saleId: sold.sale!.id, sessionId: 'panel' }),
      hq('SaleConfirmed', { saleId: 'another-desk-sale', sessionId: 'panel' }),
      newer, // a second copy
      hq('SeatAvailability', {
        sessionId: 'workshop',
        capacity: 20,
        sold: 3,
        allotted: 0,
        version: 2,
        salesRatePerMin: 0,
      }),
    ];
    const expected = [
      { status: 'applied', type: 'SeatAvailability', note: null },
      { status: 'applied', type: 'Heartbeat', note: null },
      { status: 'ignored', type: 'SeatAvailability', note: 'older or same version' },
      { status: 'ignored', type: 'SeatAvailability', note: 'unknown session nope' },
      { status: 'applied', type: 'SaleConfirmed', note: null },
      { status: 'ignored', type: 'SaleConfirmed', note: 'not a sale of this station' },
      { status: 'duplicate', type: 'SeatAvailability', note: null },
      { status: 'applied', type: 'SeatAvailability', note: null },
    ];

    const batch = await station(join(t.dir, 'batch'));
    expect(must(await batch.s.call('feed.applyBatch', { envelopes }))).toEqual(expected);
    const single = await station(join(t.dir, 'single'));
    const one: unknown[] = [];
    for (const envelope of envelopes) one.push(must(await single.s.call('feed.apply', { envelope })));
    expect(one).toEqual(expected);

    for (const s of open.splice(0)) await s.close();
    expect(dbDigest(batch.path)).toBe(dbDigest(single.path));
    expect(
      rawAll(batch.path, 'SELECT session_id, sold, allotted, version FROM availability ORDER BY session_id'),
    ).toEqual([
      { session_id: 'keynote', sold: 0, allotted: 0, version: 0 },
      { session_id: 'panel', sold: 6, allotted: 1, version: 7 },
      { session_id: 'workshop', sold: 3, allotted: 0, version: 2 },
    ]);
    expect(rawAll(batch.path, 'SELECT status, at_risk FROM sale')).toEqual([{ status: 'confirmed', at_risk: 0 }]);
    // The heartbeat before the sale, and each of the batch's seven ids once.
    expect(rawAll(batch.path, 'SELECT count(*) AS n FROM inbox')).toEqual([{ n: 8 }]);
  });
});
