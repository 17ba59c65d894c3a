/**
 * A registration platform's CSV export with a status column (issue 19, item 2): each row's standing is imported
 * (any case), a cancelled or refunded registrant neither prints nor checks in, a pending one waits for the desk,
 * a re-import without the column keeps what the station knew, and a status the station does not know rejects its
 * row alone — with its line and the words a person can act on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { dbDigest } from '../support/db-snapshot';
import { must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
const dbPath = () => `${t.dir}/desk-a.db`;

const mapping = {
  confirmationCode: 'Order',
  firstName: 'First',
  lastName: 'Last',
  email: 'Email',
  ticketTypeId: 'Ticket',
  status: 'Order Status',
};
const csv = [
  'Order,First,Last,Email,Ticket,Order Status',
  'EXT-1,Paula,Paid,paula@example.com,full,Paid',
  'EXT-2,Pedro,Pending,pedro@example.com,full,PENDING',
  'EXT-3,Carla,Cancelled,carla@example.com,full,cancelled',
  'EXT-4,Rui,Refunded,rui@example.com,full,Refunded',
  'EXT-5,Nuno,Nostatus,nuno@example.com,full,',
].join('\n');

beforeEach(async () => {
  t = tempDir();
  s = await openStation(t.dir);
  must(await s.call('conference.import', { data: smallConference() }));
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

async function byCode(code: string) {
  const found = must(await s.call('registrant.search', { query: code, limit: 2 }));
  expect(found).toHaveLength(1);
  return must(await s.call('registrant.get', { id: found[0]!.id }));
}

describe('registrants.importCsv with a status column', () => {
  it('imports each row’s standing; cancelled and refunded ones do not check in, with the reason', async () => {
    const r = must(await s.call('registrants.importCsv', { csv, mapping }));
    expect(r.registrants).toEqual({ inserted: 5, updated: 0 });
    expect(r.rejectedCount).toBe(0);
    const status = async (code: string) => (await byCode(code)).status;
    expect(await status('EXT-1')).toBe('paid');
    expect(await status('EXT-2')).toBe('pending');
    expect(await status('EXT-3')).toBe('cancelled');
    expect(await status('EXT-4')).toBe('refunded');
    expect(await status('EXT-5')).toBe('paid'); // empty: the default

    // A cancelled registration does not get in; the refusal names why, for the door or desk to say.
    const carla = await byCode('EXT-3');
    const before = dbDigest(dbPath());
    expect(await s.call('checkin.record', { registrantId: carla.id })).toMatchObject({
      ok: false,
      error: { code: 'refused', details: { failed: [{ code: 'registration_inactive', status: 'cancelled' }] } },
    });
    const rui = await byCode('EXT-4');
    expect(await s.call('checkin.record', { registrantId: rui.id })).toMatchObject({
      ok: false,
      error: { code: 'refused', details: { failed: [{ code: 'registration_inactive', status: 'refunded' }] } },
    });
    expect(dbDigest(dbPath())).toBe(before);
    // A paid one does.
    must(await s.call('checkin.record', { registrantId: (await byCode('EXT-1')).id }));
  });

  it('a re-import without the column keeps each standing; with it, a changed standing is taken', async () => {
    must(await s.call('registrants.importCsv', { csv, mapping }));
    const { status: _dropped, ...noStatus } = mapping;
    const withoutColumn = csv
      .split('\n')
      .map((l) => l.slice(0, l.lastIndexOf(',')))
      .join('\n');
    must(await s.call('registrants.importCsv', { csv: withoutColumn, mapping: noStatus }));
    expect((await byCode('EXT-2')).status).toBe('pending');
    expect((await byCode('EXT-3')).status).toBe('cancelled');

    // The platform marks Pedro paid (upper case, spaces around): the station follows.
    const paidNow = csv.replace('full,PENDING', 'full, PAID ');
    const again = must(await s.call('registrants.importCsv', { csv: paidNow, mapping }));
    expect(again.registrants.updated).toBeGreaterThanOrEqual(1);
    expect((await byCode('EXT-2')).status).toBe('paid');
  });

  it('a status the station does not know rejects that row alone, by line; a file of only such rows writes nothing', async () => {
    const bad = csv.replace('full,Refunded', 'full,maybe');
    const r = must(await s.call('registrants.importCsv', { csv: bad, mapping }));
    expect(r.registrants).toEqual({ inserted: 4, updated: 0 });
    expect(r.rejected).toEqual([{ line: 5, reason: expect.stringMatching(/status/i) }]);
    expect(must(await s.call('registrant.search', { query: 'EXT-4' }))).toEqual([]);

    const before = dbDigest(dbPath());
    const allBad = ['Order,First,Last,Email,Ticket,Order Status', 'EXT-9,Ana,Bad,ana@example.com,full,unpaid'].join(
      '\n',
    );
    expect(await s.call('registrants.importCsv', { csv: allBad, mapping })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(dbDigest(dbPath())).toBe(before);
  });
});
